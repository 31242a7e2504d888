import { runNode } from '@beluga-voice/core/testing';
import { describe, expect, it } from 'vitest';
import type { NodeContext } from '../src/node.js';
import { failoverEntries } from '../src/provider/failover/failover-entries.js';
import { providerFailover } from '../src/provider/failover/failover-node.js';
import { FailoverProvider } from '../src/provider/failover/failover-provider.js';

// The failover finds its providers among the installed node packages (here: this core's own).
describe('provider.failover node', () => {
  it('names a mistyped provider type, where it is, and the near match', async () => {
    await expect(
      runNode(providerFailover, { config: { providers: [{ type: 'provider.ecoh' }] }, inputs: { audio: [] } }),
    ).rejects.toThrow(
      'provider.failover: providers[0].type "provider.ecoh" is not installed; did you mean "provider.echo"?',
    );
  });

  it('names a provider type that is not installed and the package to install', async () => {
    await expect(
      runNode(providerFailover, {
        config: { providers: [{ type: 'provider.echo' }, { type: 'provider.gemini-live' }] },
        inputs: { audio: [] },
      }),
    ).rejects.toThrow(
      'provider.failover: providers[1].type "provider.gemini-live" is not installed; install @beluga-voice/provider-gemini-live',
    );
  });

  it("reports a provider's invalid config with its index, type and field", async () => {
    await expect(
      runNode(providerFailover, {
        config: { providers: [{ type: 'provider.echo', config: { latencyMs: -5 } }] },
        inputs: { audio: [] },
      }),
    ).rejects.toThrow(/^provider\.failover: providers\[0\] \(provider\.echo\) config: latencyMs: /);
  });
});

describe('provider.failover turn detection', () => {
  const entry = (name: string, serverVad?: boolean) => ({
    name,
    create: (): never => {
      throw new Error(`${name} is not opened here`);
    },
    ...(serverVad === undefined ? {} : { serverVad }),
  });

  it("asks for a local VAD's turn markers as soon as one listed provider needs them", () => {
    const mixed = new FailoverProvider({ providers: [entry('server', true), entry('local', false)] });
    expect(mixed.capabilities.serverVad).toBe(false);
    const server = new FailoverProvider({ providers: [entry('unknown'), entry('server', true)] });
    expect(server.capabilities.serverVad).toBe(true);
  });

  it("takes each listed provider's serverVad from its node definition and config", async () => {
    const entries = await failoverEntries([{ type: 'provider.echo', config: {} }], {
      baseDir: process.cwd(),
    } as NodeContext);
    expect(entries.map((e) => [e.name, e.serverVad])).toEqual([['echo', true]]);
  });
});
