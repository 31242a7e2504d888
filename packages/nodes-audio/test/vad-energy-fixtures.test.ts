import { runNode } from '@beluga-voice/core/testing';
import { describe, expect, it } from 'vitest';
import { vadEnergy } from '../src/vad-energy-node.js';
import { FIXTURE_CASES, segmentsOf, vadCase, worstBoundaryErrorMs } from './vad-cases.js';

async function detect(c: ReturnType<typeof vadCase>): Promise<Array<[number, number]>> {
  const h = await runNode(vadEnergy, { id: 'vad', inputs: { audio: c.frames } });
  return segmentsOf(await h.collect('events'));
}

describe('audio.vad-energy on the fixtures', () => {
  const cases = [
    ...FIXTURE_CASES,
    // The energy VAD takes any rate and channel count as they are.
    { file: 'two-turns-8k-mulaw.wav' },
    { file: 'two-turns-24k.wav' },
    { file: 'two-turns-48k-stereo.wav' },
  ];
  for (const { file, toRate } of cases) {
    const c = vadCase(file, toRate);
    it(`${c.name}: finds every speech segment within ±150 ms and nothing in the silence`, async () => {
      const found = await detect(c);
      expect(found.length).toBe(c.truth.length);
      expect(worstBoundaryErrorMs(found, c.truth)).toBeLessThanOrEqual(150);
    });
  }

  it('absorbs a steady background that starts between turns and still finds the second turn', async () => {
    const c = vadCase('two-turns-16k.wav');
    let state = 1;
    const noisy = c.frames.map((f) => {
      if (f.timestamp < 3300) return f;
      const samples = Int16Array.from(f.samples as Int16Array, (v) => {
        state = (state * 1103515245 + 12345) % 2 ** 31;
        // Uniform noise of RMS 200 (about -44 dBFS), 20 dB above the fixture's own floor.
        return v + Math.round((state / 2 ** 31 - 0.5) * 2 * 200 * Math.sqrt(3));
      });
      return { ...f, samples };
    });
    const found = await detect({ ...c, frames: noisy });
    // The onset of the noise may pass for speech until it has been steady for `steadyMs`.
    const speech = found.filter(([start]) => start < 3300 || start >= 4000);
    expect(found.length - speech.length).toBeLessThanOrEqual(1);
    expect(worstBoundaryErrorMs(speech, c.truth)).toBeLessThanOrEqual(150);
  });
});
