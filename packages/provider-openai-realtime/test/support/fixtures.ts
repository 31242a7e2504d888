import { fileURLToPath } from 'node:url';
import { readWavAsPcm16 } from '../../src/mock/audio.js';

export const TWO_TURNS_24K = fileURLToPath(new URL('../../../../fixtures/audio/two-turns-24k.wav', import.meta.url));

/** The fixture's first utterance (speech 0.5–2.6 s) and the silence after it, at 24 kHz. */
export function firstTurn24k(): Int16Array {
  return readWavAsPcm16(TWO_TURNS_24K, 24000).subarray(0, 24000 * 3.6);
}

/** Splits samples into chunks of `ms` milliseconds at 24 kHz. */
export function chunks(samples: Int16Array, ms: number): Int16Array[] {
  const size = (24000 * ms) / 1000;
  const out: Int16Array[] = [];
  for (let i = 0; i < samples.length; i += size) out.push(samples.subarray(i, Math.min(samples.length, i + size)));
  return out;
}

export function base64(samples: Int16Array): string {
  return Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength).toString('base64');
}

/** Resolves when `predicate` holds, polling every 5 ms. */
export async function until(predicate: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
