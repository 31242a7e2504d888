import { describe, expect, it } from 'vitest';
import { hasTool } from '../../core/test/support/external-tool.js';
import { type MockServer, runMockServerCli } from '../src/mock/index.js';
import { rawClient } from './support/raw-client.js';

/** Runs the CLI until the returned `stop` is called. */
async function start(input: Parameters<typeof runMockServerCli>[0]) {
  const out: string[] = [];
  const err: string[] = [];
  const abort = new AbortController();
  let server!: MockServer;
  let running!: Promise<void>;
  await new Promise<void>((resolve) => {
    running = runMockServerCli(input, {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      signal: abort.signal,
      onListening: (s) => {
        server = s;
        resolve();
      },
    });
  });
  const stop = async () => {
    abort.abort();
    await running;
  };
  return { out, err, server, stop };
}

describe('beluga mock-openai (runMockServerCli)', () => {
  it('prints the listening URL, enforces --api-key and stops on the signal', async () => {
    const { out, err, server, stop } = await start([
      '--port',
      '0',
      '--api-key',
      'sk-cli-0123456789',
      '--protocol',
      'ga',
    ]);
    try {
      expect(out).toEqual([`listening ws://127.0.0.1:${server.port}/v1/realtime`]);
      expect(err).toEqual([]);
      const refused = await rawClient(server.url, { key: 'sk-other-0123456789' });
      expect((await refused.closed).code).toBe(3000);
      const accepted = await rawClient(server.url, { key: 'sk-cli-0123456789' });
      await accepted.next('session.created');
      const closed = accepted.closed;
      await stop();
      expect((await closed).code).toBe(1001);
    } finally {
      await stop();
    }
  });

  it.skipIf(!hasTool('openssl'))('takes the options the beluga CLI parsed, and serves wss:// with tls', async () => {
    const { out, err, server, stop } = await start({ port: 0, tls: true });
    try {
      expect(out).toEqual([`listening wss://127.0.0.1:${server.port}/v1/realtime`]);
      expect(err).toEqual(['any API key is accepted (pass --api-key to enforce one)']);
      expect(server.certificate).toContain('BEGIN CERTIFICATE');
    } finally {
      await stop();
    }
  });

  it('rejects bad arguments with the usage line', async () => {
    const io = { out: () => undefined, err: () => undefined };
    await expect(runMockServerCli(['--port', 'abc'], io)).rejects.toThrow(
      /--port must be a port number, got "abc"\nusage: beluga mock-openai/,
    );
    await expect(runMockServerCli(['--protocol', 'v2'], io)).rejects.toThrow(
      /--protocol must be auto, ga or beta, got "v2"/,
    );
    await expect(runMockServerCli(['--bogus'], io)).rejects.toThrow(/Unknown option '--bogus'/);
    await expect(runMockServerCli(['--cert', 'c.pem'], io)).rejects.toThrow(/--cert and --key go together/);
  });
});
