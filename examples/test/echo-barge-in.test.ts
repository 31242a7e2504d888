import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BusEvent } from '@beluga-voice/core';
import { decodeWav } from '@beluga-voice/core/audio';
import { afterAll, describe, expect, it } from 'vitest';
import { runEchoDemo } from '../echo-demo.mjs';

const fixture = (name: string) => new URL(`../../fixtures/audio/${name}`, import.meta.url);
const segments = JSON.parse(readFileSync(fixture('segments.json'), 'utf8'));
const [turn1, turn2] = segments['two-turns-16k.wav'].speech.map(([a, b]: [number, number]) => [a * 1000, b * 1000]);
const WINDOW_MS = 20;

const dir = mkdtempSync(join(tmpdir(), 'beluga-echo-barge-in-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Start times of the 20 ms windows of the right channel (the echo) louder than -45 dBFS. */
function echoVoiced(samples: Int16Array, rate: number): number[] {
  const size = (rate * WINDOW_MS) / 1000;
  const out: number[] = [];
  for (let w = 0; (w + 1) * size * 2 <= samples.length; w++) {
    let sum = 0;
    for (let i = 0; i < size; i++) sum += samples[(w * size + i) * 2 + 1] ** 2;
    if (10 * Math.log10(sum / size / 32768 ** 2 + 1e-12) > -45) out.push(w * WINDOW_MS);
  }
  return out;
}

describe('examples/echo-demo.mjs with a second turn during the echo', () => {
  it('stops the echo when the user speaks again, truncates it at what was played, then echoes the new turn', async () => {
    const { conversationPath, events } = await runEchoDemo({
      input: join(fixture('two-turns-16k.wav').pathname),
      outDir: dir,
      latencyMs: 300,
    });
    expect(events.filter((e: BusEvent) => e.type === 'error')).toEqual([]);
    const names = ['response-start', 'first-audio', 'interrupt', 'response-done'];
    const agentMarks = events.filter((e) => e.type === 'mark' && e.node === 'agent' && names.includes(e.name));
    expect(agentMarks.map((e) => (e.type === 'mark' ? e.name : ''))).toEqual([
      'response-start',
      'first-audio',
      'interrupt',
      'response-done',
      'response-start',
      'first-audio',
      'response-done',
    ]);
    const interrupt = agentMarks[2];
    const data = (interrupt.type === 'mark' ? interrupt.data : {}) as { playedMs: number; receivedMs: number };
    // The pacer reported what was heard: no more than what the provider had sent, more than nothing.
    expect(data.playedMs).toBeGreaterThan(500);
    expect(data.playedMs).toBeLessThanOrEqual(data.receivedMs);

    const voiced = echoVoiced(decodeWav(readFileSync(conversationPath), conversationPath, 'pcm16').samples, 24_000);
    const firstEcho = voiced.filter((t) => t < turn2[0] + 300);
    const secondEcho = voiced.filter((t) => t > turn2[1]);
    // The first echo starts after turn 1 and is cut off shortly after turn 2 begins.
    expect(firstEcho[0]).toBeGreaterThan(turn1[1]);
    expect(voiced.filter((t) => t > turn2[0] + 300 && t < turn2[1])).toEqual([]);
    // Turn 2 is echoed in full after it ends.
    expect(secondEcho.at(-1) as number).toBeGreaterThan(secondEcho[0] + (turn2[1] - turn2[0]) - 200);
  }, 40_000);
});
