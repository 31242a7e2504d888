import { runNode } from '@beluga-voice/core/testing';
import { describe, expect, it } from 'vitest';
import { resample } from '../src/resample-node.js';
import { vadSilero } from '../src/vad-silero-node.js';
import { FIXTURE_CASES, segmentsOf, vadCase, worstBoundaryErrorMs } from './vad-cases.js';

describe('audio.vad-silero on the fixtures', () => {
  const cases = [
    ...FIXTURE_CASES,
    // Silero also runs at 8 kHz: the μ-law file as it is, and the 48k file brought down to 8k.
    { file: 'two-turns-8k-mulaw.wav' },
    { file: 'two-turns-48k-stereo.wav', toRate: 8000 },
  ];
  for (const { file, toRate } of cases) {
    const c = vadCase(file, toRate);
    it(`${c.name}: finds every speech segment within ±150 ms and nothing in the silence`, async () => {
      const h = await runNode(vadSilero, { id: 'vad', inputs: { audio: c.frames } });
      const found = segmentsOf(await h.collect('events'));
      expect(await h.close()).toEqual([]);
      expect(found.length).toBe(c.truth.length);
      expect(worstBoundaryErrorMs(found, c.truth)).toBeLessThanOrEqual(150);
    });
  }

  it('two-turns-48k-stereo.wav through the audio.resample node (16 kHz mono, low quality) into the VAD', async () => {
    const c = vadCase('two-turns-48k-stereo.wav');
    const converter = await runNode(resample, {
      config: { sampleRate: 16000, channels: 1, quality: 'low' },
      inputs: { audio: c.frames },
    });
    const h = await runNode(vadSilero, { id: 'vad', inputs: { audio: converter.outputs.audio ?? [] } });
    const found = segmentsOf(await h.collect('events'));
    await h.close();
    expect(found.length).toBe(c.truth.length);
    expect(worstBoundaryErrorMs(found, c.truth)).toBeLessThanOrEqual(150);
  });
});
