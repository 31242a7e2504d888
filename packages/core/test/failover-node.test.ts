import { runNode } from '@beluga-voice/core/testing';
import { describe, expect, it } from 'vitest';
import { providerFailover } from '../src/provider/failover/failover-node.js';

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
