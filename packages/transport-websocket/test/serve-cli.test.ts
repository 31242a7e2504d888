import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { examples, repo, startServe } from './support/serve-process.js';

const bin = `${repo}packages/core/dist/cli/bin.js`;

function beluga(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile(process.execPath, [bin, ...args], { cwd: examples, timeout: 20_000 }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
    ),
  );
}

describe('beluga serve on the command line', () => {
  it('prints the Twilio TwiML for the public URL, then "listening" last', async () => {
    const serve = await startServe([join(examples, 'twilio-echo.yaml'), '--public-url', 'https://voice.example.com/']);
    try {
      expect(serve.output()).toContain(
        'twilio: answer calls with this TwiML (Twilio needs a public wss:// URL):\n<Response>\n  <Connect>\n    <Stream url="wss://voice.example.com/twilio"/>\n  </Connect>\n</Response>\n',
      );
      expect(serve.output()).toMatch(/listening http:\/\/127\.0\.0\.1:\d+\n$/);
    } finally {
      serve.kill('SIGKILL');
    }
  });

  it('warns at startup, placed in the file, about a provider that never hears a turn end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'beluga-serve-turns-'));
    const file = join(dir, 'no-vad.yaml');
    writeFileSync(
      file,
      [
        'version: 1',
        'nodes:',
        '  mic: { type: transport.browser-in, config: { sampleRate: 24000 } }',
        '  agent:',
        '    type: provider.openai-realtime',
        '    config: { apiKey: mock-key, baseUrl: "ws://127.0.0.1:1/v1", turnDetection: { type: none } }',
        '  speaker: { type: transport.browser-out }',
        'links:',
        '  - mic -> agent -> speaker',
        '',
      ].join('\n'),
    );
    const serve = await startServe([file]);
    try {
      expect(serve.output()).toContain(
        `warning: ${file}:5:5  node "agent" (provider.openai-realtime) has its own turn detection off and no speech-stop reaches it: ` +
          "the caller's turns never end, so it never answers (put a VAD on its way in (audio.vad-energy or audio.vad-silero, " +
          "e.g. mic -> vad -> agent), or turn the provider's turn detection on)  [turns-never-end]\n",
      );
    } finally {
      serve.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a port already taken: exit 2 naming it', async () => {
    const serve = await startServe([join(examples, 'twilio-echo.yaml')]);
    try {
      const port = new URL(serve.url).port;
      const result = await beluga(['serve', 'twilio-echo.yaml', '--port', port]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `cannot listen on 127.0.0.1:${port}: listen EADDRINUSE: address already in use 127.0.0.1:${port}\n`,
      );
    } finally {
      serve.kill('SIGKILL');
    }
  });

  it('refuses a pipeline no caller can reach, naming the nodes to use', async () => {
    const result = await beluga(['serve', 'echo-demo.yaml']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'echo-demo.yaml: no transport node, so no caller can reach it: use transport.browser-in/-out or transport.twilio-in/-out in place of the file source and sink',
    );
  });

  it('rejects bad options with the usage hint', async () => {
    expect(await beluga(['serve', 'browser-echo.yaml', '--max-sessions', '0'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'beluga serve: --max-sessions must be an integer 1..100000, got "0" (beluga --help for usage)\n',
    });
  });

  it('beluga run on a served pipeline fails clearly: a transport node needs a live caller', async () => {
    const result = await beluga(['run', 'browser-echo.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'transport.browser-in "mic" serves live callers: run this pipeline with `beluga serve` (beluga run has no caller)',
    );
  });
});
