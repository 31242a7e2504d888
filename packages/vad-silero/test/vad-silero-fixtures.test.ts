import { runNode } from '@beluga-voice/core/testing';
import { resample } from '@beluga-voice/nodes-audio';
import { describe, expect, it } from 'vitest';
import {
  boundaryErrorsMs,
  FIXTURE_CASES,
  medianOf,
  NOISY_FIXTURES,
  segmentsOf,
  type VadCase,
  vadCase,
} from '../../nodes-audio/test/vad-cases.js';
import { vadSilero } from '../src/vad-silero-node.js';

const CASES = (
  [
    ...FIXTURE_CASES,
    // Silero also runs at 8 kHz: the μ-law file as it is, and the 48k file brought down to 8k.
    { file: 'two-turns-8k-mulaw.wav' },
    { file: 'two-turns-48k-stereo.wav', toRate: 8000 },
    ...NOISY_FIXTURES.map((file) => ({ file })),
  ] as ReadonlyArray<{ file: string; toRate?: number }>
).map(({ file, toRate }) => vadCase(file, toRate));

async function boundaryErrors(c: VadCase, config: Record<string, unknown>): Promise<number[]> {
  const h = await runNode(vadSilero, { id: 'vad', config, inputs: { audio: c.frames } });
  const found = segmentsOf(await h.collect('events'));
  expect(await h.close()).toEqual([]);
  const errors = boundaryErrorsMs(found, c.truth);
  expect(errors, `${c.name}: found ${JSON.stringify(found)}, truth ${JSON.stringify(c.truth)}`).toBeDefined();
  return errors ?? [];
}

describe('audio.vad-silero on the fixtures (Silero v5 with boundaries placed on the level)', () => {
  for (const backend of ['node', 'web'] as const) {
    for (const c of CASES) {
      it(`${backend}: ${c.name}: every segment found, boundary error median ≤ 30 ms and max ≤ 80 ms`, async () => {
        const errors = await boundaryErrors(c, { backend });
        expect(medianOf(errors)).toBeLessThanOrEqual(30);
        expect(Math.max(...errors)).toBeLessThanOrEqual(80);
      });
    }
  }

  for (const c of CASES) {
    it(`${c.name}: the kernel backend finds the very same boundaries as onnxruntime-node`, async () => {
      const events = async (backend: string) => {
        const h = await runNode(vadSilero, { id: 'vad', config: { backend }, inputs: { audio: c.frames } });
        const out = await h.collect('events');
        expect(await h.close()).toEqual([]);
        return out;
      };
      const native = await events('node');
      expect(native.length).toBeGreaterThanOrEqual(2);
      expect(await events('kernel')).toEqual(native);
    });
  }

  it("without refine the boundaries are Silero's window edges, which lag the end of speech by 100 ms and more", async () => {
    const worst = [];
    for (const file of NOISY_FIXTURES) {
      const errors = await boundaryErrors(vadCase(file), { backend: 'node', refine: false });
      worst.push(Math.max(...errors));
    }
    expect(Math.max(...worst)).toBeGreaterThan(100);
  });

  it('two-turns-48k-stereo.wav through the audio.resample node (16 kHz mono, low quality) into the VAD', async () => {
    const c = vadCase('two-turns-48k-stereo.wav');
    const converter = await runNode(resample, {
      config: { sampleRate: 16000, channels: 1, quality: 'low' },
      inputs: { audio: c.frames },
    });
    const h = await runNode(vadSilero, { id: 'vad', inputs: { audio: converter.outputs.audio ?? [] } });
    const found = segmentsOf(await h.collect('events'));
    await h.close();
    const errors = boundaryErrorsMs(found, c.truth) ?? [];
    expect(errors).toHaveLength(4);
    expect(Math.max(...errors)).toBeLessThanOrEqual(80);
  });
});
