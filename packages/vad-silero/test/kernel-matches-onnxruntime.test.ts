import { readFileSync } from 'node:fs';
import { decodeWav } from '@beluga-voice/core/audio';
import { describe, expect, it } from 'vitest';
import { vadCase } from '../../nodes-audio/test/vad-cases.js';
import { SileroKernel } from '../src/silero-kernel.js';
import { jsKernelOps } from '../src/silero-kernel-js.js';
import { sileroModelPath } from '../src/silero-model.js';
import { SileroVad } from '../src/silero-vad.js';
import { readSileroWeights } from '../src/silero-weights.js';

// Tolerance: every dot product is summed in float32 in another order than onnxruntime's (at most
// 396 terms: about 400 × 6e-8 relative in the worst case, 1e-6 seen), the sigmoid's slope is at
// most 1/4 and the LSTM does not amplify the difference from window to window: the largest
// difference seen over every fixture is 1.5e-6, so 1e-4 leaves a wide margin and still catches
// any real error (a wrong gate, tap or padding moves probabilities by 1e-2 and more).
const TOLERANCE = 1e-4;

const fixture = (name: string) => new URL(`../../../fixtures/audio/${name}`, import.meta.url);

/** A fixture as mono floats, read with the repo's WAV reader. */
function wavSamples(name: string): { rate: number; samples: Float32Array } {
  const wav = decodeWav(readFileSync(fixture(name)), name, 'f32');
  expect(wav.format.channels).toBe(1);
  return { rate: wav.format.sampleRate, samples: wav.samples };
}

/** A fixture brought to 8 kHz mono by the resampler of the VAD tests. */
function at8k(name: string): { rate: number; samples: Float32Array } {
  const samples = vadCase(name, 8000).frames.flatMap((f) => Array.from(f.samples as Int16Array));
  return { rate: 8000, samples: Float32Array.from(samples, (v) => v / 32768) };
}

const CASES: Array<{ name: string; load: () => { rate: number; samples: Float32Array } }> = [
  ...[
    'single-utterance-16k.wav',
    'two-turns-16k.wav',
    'interjection-16k.wav',
    ...[
      'gb-female-snr15-16k.wav',
      'rp-male-snr12-16k.wav',
      'scottish-snr10-16k.wav',
      'us-fast-snr15-16k.wav',
      'us-female-snr10-16k.wav',
      'us-male-snr20-16k.wav',
    ].map((f) => `noisy/${f}`),
    'two-turns-8k-mulaw.wav',
  ].map((name) => ({ name, load: () => wavSamples(name) })),
  { name: 'two-turns-48k-stereo.wav at 8 kHz', load: () => at8k('two-turns-48k-stereo.wav') },
];

/** Probabilities of every whole window, in one stream on `vad` (restarted first). */
async function probabilities(vad: SileroVad, rate: number, samples: Float32Array): Promise<number[]> {
  const size = vad.start(rate);
  const out: number[] = [];
  for (let i = 0; i + size <= samples.length; i += size) out.push(await vad.probability(samples.subarray(i, i + size)));
  return out;
}

function maxDifference(a: number[], b: number[]): number {
  expect(a).toHaveLength(b.length);
  return Math.max(...a.map((v, i) => Math.abs(v - b[i])));
}

describe('the Silero kernel against onnxruntime-node, window by window on the fixtures', () => {
  for (const c of CASES) {
    it(`${c.name}: every probability within ${TOLERANCE}, state carried across windows and reset by start()`, async () => {
      const { rate, samples } = c.load();
      const reference = await SileroVad.load({ backend: 'node' });
      const kernel = await SileroVad.load({ backend: 'kernel' });
      try {
        expect(kernel.backend).toBe('kernel');
        const expected = await probabilities(reference, rate, samples);
        expect(expected.length).toBeGreaterThan(50);
        // Speech and silence both present: the comparison covers the whole range.
        expect(Math.max(...expected)).toBeGreaterThan(0.9);
        expect(Math.min(...expected)).toBeLessThan(0.1);
        expect(maxDifference(await probabilities(kernel, rate, samples), expected)).toBeLessThanOrEqual(TOLERANCE);
        // A stream cut off inside speech, then the whole file again on the same instance: start()
        // must clear the LSTM state and the context samples the cut stream left behind.
        const size = kernel.windowSamples;
        const loudest = expected.indexOf(Math.max(...expected));
        await probabilities(kernel, rate, samples.subarray(0, (loudest + 1) * size));
        expect(maxDifference(await probabilities(kernel, rate, samples), expected)).toBeLessThanOrEqual(TOLERANCE);
      } finally {
        await reference.close();
        await kernel.close();
      }
    });
  }

  it('the JavaScript fallback gives the same probabilities at 16 and 8 kHz', async () => {
    const file = sileroModelPath();
    const js = new SileroKernel(readSileroWeights(readFileSync(file), file), jsKernelOps);
    expect(js.kind).toBe('js');
    const reference = await SileroVad.load({ backend: 'node' });
    try {
      for (const { rate, samples } of [wavSamples('two-turns-16k.wav'), wavSamples('two-turns-8k-mulaw.wav')]) {
        const expected = await probabilities(reference, rate, samples);
        const input = js.start(rate);
        const size = rate === 16000 ? 512 : 256;
        const context = input.length - size;
        const got: number[] = [];
        for (let i = 0; i + size <= samples.length; i += size) {
          input.copyWithin(0, size, size + context);
          input.set(samples.subarray(i, i + size), context);
          got.push(js.run());
        }
        expect(maxDifference(got, expected)).toBeLessThanOrEqual(TOLERANCE);
      }
    } finally {
      await reference.close();
    }
  });
});
