import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type GraphSpec, loadPipelineFile, Registry } from '@beluga-voice/core';
import { nodes as coreNodes } from '@beluga-voice/core/nodes';
import { readWav } from '@beluga-voice/nodes-audio';
import { nodes as audioNodes } from '@beluga-voice/nodes-audio/nodes';
import { nodes as toolNodes } from '@beluga-voice/nodes-tools/nodes';
import { type MockServer, startMockServer } from '@beluga-voice/provider-openai-realtime/mock';
import { nodes as openaiNodes } from '@beluga-voice/provider-openai-realtime/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoDemoGraph } from '../echo-demo.mjs';

const examples = fileURLToPath(new URL('../', import.meta.url));
const bin = fileURLToPath(new URL('../../packages/core/dist/cli/bin.js', import.meta.url));
const registry = new Registry([...coreNodes, ...audioNodes, ...toolNodes, ...openaiNodes]);
const out = mkdtempSync(join(tmpdir(), 'beluga-examples-'));
let mock: MockServer;

beforeAll(async () => {
  mock = await startMockServer({ script: { chunkIntervalMs: 0 } });
});
afterAll(async () => {
  await mock.close();
  rmSync(out, { recursive: true, force: true });
});

/** Starts `beluga mock-openai` as its own process, as the example's comment says to. */
async function mockProcess(args: string[]): Promise<{ baseUrl: string; stop: () => void }> {
  const child = spawn(process.execPath, [bin, 'mock-openai', '--port', '0', ...args], { cwd: examples });
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /listening (ws:\/\/\S+)\/realtime/.exec(text);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`mock-openai exited with ${code}: ${text}`)));
  });
  return { baseUrl: url, stop: () => child.kill('SIGINT') };
}

/** Runs `beluga run` on an example with its outputs redirected to a temp folder. */
async function beluga(example: string, env: Record<string, string> = {}) {
  const events = join(out, `${example}.jsonl`);
  const { stderr } = await promisify(execFile)(
    process.execPath,
    [bin, 'run', join(examples, example), '--events', events],
    {
      cwd: examples,
      env: { ...process.env, OPENAI_BASE_URL: mock.baseUrl, OPENAI_API_KEY: 'sk-test-not-a-real-key', ...env },
      timeout: 60_000,
    },
  );
  const lines = readFileSync(events, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  return { stderr, lines, frames: (kind: string) => lines.filter((e) => e.type === 'frame' && e.frame.kind === kind) };
}

/** Seconds of audio above -40 dBFS (20 ms windows). */
async function voicedSeconds(path: string): Promise<number> {
  const wav = await readWav(path);
  const samples = wav.samples as Int16Array;
  const win = Math.round(wav.format.sampleRate / 50);
  let voiced = 0;
  for (let i = 0; i + win <= samples.length; i += win) {
    let sum = 0;
    for (let j = i; j < i + win; j++) sum += samples[j] * samples[j];
    if (Math.sqrt(sum / win) / 32768 > 0.01) voiced++;
  }
  return voiced / 50;
}

const strip = (spec: GraphSpec) => ({
  nodes: spec.nodes.map(({ id, type, config }) => ({ id, type, config })),
  links: spec.links.map(({ from, to }) => ({ from, to })),
});

describe('examples', () => {
  it('every YAML example validates against the installed node types', async () => {
    for (const file of [
      'echo-demo.yaml',
      'tool-calling.yaml',
      'telephony.yaml',
      'openai-realtime.yaml',
      'openai-tools.yaml',
    ]) {
      const loaded = await loadPipelineFile(join(examples, file), { registry });
      expect(loaded.issues, file).toEqual([]);
    }
  });

  it('the echo demo in YAML and in code build the same graph', async () => {
    const yaml = await loadPipelineFile(join(examples, 'echo-demo.yaml'), { registry });
    const code = echoDemoGraph({
      input: '../fixtures/audio/single-utterance-16k.wav',
      echoPath: './out/echo.wav',
      conversationPath: './out/conversation.wav',
      latencyMs: 300,
    }).toSpec();
    expect(strip(yaml.spec)).toEqual(strip(code));
  });

  it('tool calling offline: the scripted provider calls the calculator and answers with its result', async () => {
    const run = await beluga('tool-calling.yaml');
    expect(run.frames('tool-call').map((e) => [e.frame.name, JSON.parse(e.frame.arguments)])).toEqual([
      ['calculator', { expression: '6 * 7' }],
      ['get_weather', { city: 'Paris' }],
    ]);
    expect(run.frames('tool-result').map((e) => e.frame.output)).toEqual(['42', 'Paris: light rain, 14 °C']);
    expect(run.frames('response-done').map((e) => e.frame.status)).toEqual(['completed', 'completed', 'completed']);
    // 400 ms before the first call, 300 ms between the calls, 300 ms after them.
    expect(await voicedSeconds(join(examples, 'out/tool-calling.wav'))).toBeCloseTo(1.0, 1);
  });

  it('telephony: μ-law 8 kHz in, μ-law 8 kHz out, through the OpenAI provider against the mock', async () => {
    const run = await beluga('telephony.yaml');
    expect(run.frames('response-done').map((e) => e.frame.status)).toEqual(['completed', 'completed']);
    const wav = await readWav(join(examples, 'out/telephony-reply.wav'));
    expect(wav.format).toEqual({ encoding: 'mulaw', sampleRate: 8000, channels: 1 });
    expect(run.stderr).not.toContain('sk-test-not-a-real-key');
  }, 60_000);

  it('OpenAI with tools: the router serves calls made by the model, over the CLI mock with a reply script', async () => {
    const server = await mockProcess(['--script', 'openai-tools.mock.json']);
    try {
      const run = await beluga('openai-tools.yaml', { OPENAI_BASE_URL: server.baseUrl });
      expect(run.frames('tool-call').map((e) => e.frame.name)).toEqual(['calculator', 'get_weather']);
      expect(run.frames('tool-result').map((e) => e.frame.output)).toEqual(['42', 'Paris: light rain, 14 °C']);
      const done = run.frames('response-done').map((e) => e.frame.status);
      expect(done).toEqual(['completed', 'completed', 'completed', 'completed']);
      expect(await voicedSeconds(join(examples, 'out/openai-tools-reply.wav'))).toBeGreaterThan(1);
    } finally {
      server.stop();
    }
  }, 60_000);

  it('OpenAI Realtime: two spoken turns against the mock, both replies written', async () => {
    const run = await beluga('openai-realtime.yaml');
    expect(run.frames('speech-start')).toHaveLength(2);
    expect(run.frames('response-done').map((e) => e.frame.status)).toEqual(['completed', 'completed']);
    expect(await voicedSeconds(join(examples, 'out/openai-realtime-reply.wav'))).toBeGreaterThan(1);
  }, 60_000);
});
