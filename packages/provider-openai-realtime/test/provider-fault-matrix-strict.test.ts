import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./support/fault-matrix.mjs', import.meta.url));

/** Runs the matrix in its own process: there, any unhandled rejection ends the run with exit code 1. */
function runMatrix(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--unhandled-rejections=strict', script],
      { timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? (error.code as number | null) : 0, stdout, stderr }),
    );
  });
}

describe('provider.openai-realtime: the whole fault matrix under --unhandled-rejections=strict (built package)', () => {
  it('meets every fault with a typed error or a reconnection, and no rejection goes unhandled', async () => {
    const { code, stdout, stderr } = await runMatrix();
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const outcomes = Object.fromEntries(
      stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { scenario: string; outcome: string })
        .map(({ scenario, outcome }) => [scenario, outcome.replaceAll(/127\.0\.0\.1:\d+/g, 'HOST')]),
    );
    expect(outcomes).toEqual({
      'hung server on first connect': 'timeout: provider.openai-realtime: no connection to HOST within 150 ms',
      'hung server during reconnect': 'connection connection!',
      'abort while connecting to a hung server':
        'closed: provider.openai-realtime: session closed while connecting to HOST',
      'connection refused': 'connection: provider.openai-realtime: cannot connect to HOST: connect ECONNREFUSED HOST',
      'wrong key':
        'auth!: provider.openai-realtime: authentication failed: Incorrect API key provided: sk-************6789. You can find your API key at https://platform.openai.com/account/api-keys. (invalid_api_key); check the apiKey config or OPENAI_API_KEY',
      'no session.updated': 'timeout: provider.openai-realtime: no session.updated within 150 ms',
      'a 50 MB server message':
        'provider.openai-realtime: the server sent a message larger than the 16 MiB limit; it was refused and the connection closed (close 1009); reconnecting',
      'mock faults in a row': 'rate-limit timeout connection session-expired',
      'server closes during set-up':
        'connection: provider.openai-realtime: connection lost (close 1011: internal); reconnecting',
    });
  });
});
