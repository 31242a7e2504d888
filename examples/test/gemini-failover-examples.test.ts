import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadPipelineFile, Registry } from '@beluga-voice/core';
import { nodes as coreNodes } from '@beluga-voice/core/nodes';
import { readWav } from '@beluga-voice/nodes-audio';
import { nodes as audioNodes } from '@beluga-voice/nodes-audio/nodes';
import { nodes as geminiNodes } from '@beluga-voice/provider-gemini-live/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const examples = fileURLToPath(new URL('../', import.meta.url));
const bin = fileURLToPath(new URL('../../packages/core/dist/cli/bin.js', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'beluga-gemini-examples-'));
let gemini: { url: string; stop: () => Promise<void> };

/** `beluga mock-gemini` as its own process, as the examples' comments say to run it. */
async function mockGemini(): Promise<typeof gemini> {
  const child = spawn(process.execPath, [bin, 'mock-gemini', '--port', '0'], { cwd: examples });
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /listening (ws:\/\/\S+)\n/.exec(text);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`mock-gemini exited with ${code}: ${text}`)));
  });
  return {
    url,
    stop: () =>
      new Promise((done) => {
        child.once('exit', () => done());
        child.kill('SIGINT');
      }),
  };
}

beforeAll(async () => {
  gemini = await mockGemini();
});
afterAll(async () => {
  await gemini.stop();
  rmSync(out, { recursive: true, force: true });
});

async function beluga(example: string, env: Record<string, string>) {
  const events = join(out, `${example}.jsonl`);
  const { stderr } = await promisify(execFile)(
    process.execPath,
    [bin, 'run', join(examples, example), '--events', events],
    { cwd: examples, env: { ...process.env, ...env }, timeout: 60_000 },
  );
  const lines = readFileSync(events, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const frames = (kind: string) => lines.filter((e) => e.type === 'frame' && e.frame.kind === kind).map((e) => e.frame);
  return { stderr, lines, frames };
}

describe('Gemini and failover examples', () => {
  it('both validate against the installed node types', async () => {
    const registry = new Registry([...coreNodes, ...audioNodes, ...geminiNodes]);
    for (const file of ['gemini-live.yaml', 'failover.yaml']) {
      const loaded = await loadPipelineFile(join(examples, file), { registry });
      expect(loaded.issues, file).toEqual([]);
    }
  });

  it('gemini-live.yaml: two spoken turns at 16 kHz in, 24 kHz replies out, against beluga mock-gemini', async () => {
    const run = await beluga('gemini-live.yaml', {
      GEMINI_BASE_URL: gemini.url,
      GEMINI_API_KEY: 'AIza-not-a-real-key',
    });
    expect(run.frames('response-done').map((f) => f.status)).toEqual(['completed', 'completed']);
    expect(
      run
        .frames('transcript')
        .filter((f) => f.final)
        .map((f) => `${f.role}: ${f.text}`),
    ).toEqual([
      'user: hello',
      'assistant: I heard you. I have 1 earlier messages in context.',
      'user: hello',
      'assistant: I heard you. I have 3 earlier messages in context.',
    ]);
    const wav = await readWav(join(examples, 'out/gemini-live-reply.wav'));
    expect(wav.format).toEqual({ encoding: 'pcm16', sampleRate: 24_000, channels: 1 });
    expect(run.stderr).not.toContain('AIza-not-a-real-key');
  }, 60_000);

  it('failover.yaml: OpenAI unreachable, Gemini answers both turns, and the switch is on the bus', async () => {
    const run = await beluga('failover.yaml', {
      OPENAI_BASE_URL: 'ws://127.0.0.1:9/v1',
      GEMINI_BASE_URL: gemini.url,
    });
    const warnings = run.lines.filter((e) => e.type === 'warning' && e.code === 'provider-failover');
    expect(warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(
        /^provider\.failover: openai-realtime failed \(provider\.openai-realtime: cannot connect to 127\.0\.0\.1:9: .+\); switched to gemini-live in \d+ ms, 0 ms of user audio held, 0 ms replayed$/,
      ),
    ]);
    expect(run.frames('response-done').map((f) => f.status)).toEqual(['completed', 'completed']);
    expect(run.lines.some((e) => e.type === 'metric' && e.name === 'provider.failover.switches')).toBe(true);
  }, 60_000);
});
