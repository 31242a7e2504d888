import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BusEvent } from '@beluga-voice/core';
import { decodeWav } from '@beluga-voice/core/audio';
import { afterAll, describe, expect, it } from 'vitest';
import { runEchoDemo } from '../echo-demo.mjs';

const fixture = (name: string) => new URL(`../../fixtures/audio/${name}`, import.meta.url);
const segments = JSON.parse(readFileSync(fixture('segments.json'), 'utf8'));
const [speechStart, speechEnd] = (segments['single-utterance-16k.wav'].speech[0] as [number, number]).map(
  (s) => s * 1000,
);
const LATENCY_MS = 300;
const WINDOW_MS = 20;
const VOICED_DB = -45;

const dir = mkdtempSync(join(tmpdir(), 'beluga-echo-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Level of each 20 ms window of one channel, in dBFS. */
function levels(samples: Int16Array, rate: number, channels: number, channel: number): number[] {
  const size = (rate * WINDOW_MS) / 1000;
  const out: number[] = [];
  for (let w = 0; (w + 1) * size * channels <= samples.length; w++) {
    let sum = 0;
    for (let i = 0; i < size; i++) sum += samples[(w * size + i) * channels + channel] ** 2;
    out.push(10 * Math.log10(sum / size / 32768 ** 2 + 1e-12));
  }
  return out;
}

function correlation(a: number[], b: number[]): number {
  const n = Math.min(a.length, b.length);
  const mean = (x: number[]) => x.slice(0, n).reduce((s, v) => s + v, 0) / n;
  const ma = mean(a);
  const mb = mean(b);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

const voicedSpans = (db: number[]) => db.flatMap((level, w) => (level > VOICED_DB ? [w * WINDOW_MS] : []));

describe('examples/echo-demo.mjs', () => {
  it('echoes the utterance latencyMs after the turn ends, with silence everywhere else', async () => {
    const { echoPath, conversationPath, events } = await runEchoDemo({ outDir: dir, latencyMs: LATENCY_MS });
    const failures = events.filter((e: BusEvent) => e.type === 'error');
    expect(failures).toEqual([]);

    // The reply starts latencyMs after the VAD's speech-stop reached the provider.
    const stopAt = events.find((e) => e.type === 'frame' && e.node === 'up' && e.frame.kind === 'speech-stop')?.time;
    const replyAt = events.find((e) => e.type === 'mark' && e.node === 'agent' && e.name === 'response-start')?.time;
    expect(stopAt).toBeDefined();
    expect((replyAt as number) - (stopAt as number)).toBeGreaterThanOrEqual(LATENCY_MS);
    expect((replyAt as number) - (stopAt as number)).toBeLessThan(LATENCY_MS + 200);

    // echo.wav holds the user's speech: voiced from about its start to its end.
    const echo = decodeWav(readFileSync(echoPath), echoPath, 'pcm16');
    expect(echo.format).toEqual({ encoding: 'pcm16', sampleRate: 24_000, channels: 1 });
    const echoVoiced = voicedSpans(levels(echo.samples, 24_000, 1, 0));
    expect(echoVoiced[0]).toBeLessThanOrEqual(200);
    expect(echoVoiced.at(-1) as number).toBeGreaterThanOrEqual(speechEnd - speechStart);

    // conversation.wav: the echo (right) is the user's speech (left) shifted by a fixed delay.
    const conversation = decodeWav(readFileSync(conversationPath), conversationPath, 'pcm16');
    const user = levels(conversation.samples, 24_000, 2, 0);
    const agent = levels(conversation.samples, 24_000, 2, 1);
    const userVoiced = voicedSpans(user);
    const agentVoiced = voicedSpans(agent);
    expect(userVoiced[0]).toBeGreaterThanOrEqual(speechStart - 60);
    expect(userVoiced.at(-1) as number).toBeLessThanOrEqual(speechEnd + 60);
    expect(agentVoiced[0]).toBeGreaterThanOrEqual(speechEnd + LATENCY_MS);
    // The echo's level contour matches the user's at the best shift near the onset difference.
    const from = Math.round(speechStart / WINDOW_MS);
    const to = Math.round(speechEnd / WINDOW_MS);
    const onset = Math.round((agentVoiced[0] - userVoiced[0]) / WINDOW_MS);
    let best = { lag: onset, r: -1 };
    for (let lag = onset - 5; lag <= onset + 5; lag++) {
      const r = correlation(user.slice(from, to), agent.slice(from + lag, to + lag));
      if (r > best.r) best = { lag, r };
    }
    // 0.99+ on an idle machine; CI runs this beside CPU-heavy suites, where frame timing jitters.
    expect(best.r).toBeGreaterThan(0.85);
    const shift = best.lag * WINDOW_MS;
    // Nothing on the echo channel outside the shifted speech.
    expect(agentVoiced.filter((t) => t < speechStart + shift - 120 || t > speechEnd + shift + 120)).toEqual([]);
  }, 30_000);
});
