import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GoogleGenAI, Modality } from '@google/genai';
import { describe, expect, it } from 'vitest';

// As users run it: the built `beluga` bin in a project that installed this package (examples/).
const bin = fileURLToPath(new URL('../../core/dist/cli/bin.js', import.meta.url));
const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));

describe('beluga mock-gemini', () => {
  it('prints "listening ws://127.0.0.1:N", serves the SDK with the enforced key, and stops on Ctrl-C', async () => {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: build first (pnpm build)`);
    const child = spawn(process.execPath, [bin, 'mock-gemini', '--port', '0', '--api-key', 'AIza-cli-key'], {
      cwd: examples,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /^listening (ws:\/\/127\.0\.0\.1:\d+)\n$/.exec(stdout);
        if (match) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`mock-gemini exited with ${code}: ${stdout}`)));
    });
    const ai = new GoogleGenAI({ apiKey: 'AIza-cli-key', httpOptions: { baseUrl: url.replace('ws:', 'http:') } });
    let setupComplete = false;
    const session = await ai.live.connect({
      model: 'gemini-live-2.5-flash-preview',
      config: { responseModalities: [Modality.AUDIO] },
      callbacks: {
        onmessage: (m) => {
          if (m.setupComplete) setupComplete = true;
        },
      },
    });
    expect(setupComplete).toBe(true);
    session.close();
    child.kill('SIGINT');
    expect(await new Promise((done) => child.on('exit', done))).toBe(0);
  });
});
