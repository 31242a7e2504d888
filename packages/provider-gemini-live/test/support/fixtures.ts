import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AudioFrame } from '@beluga-voice/core';
import { decodeWav } from '@beluga-voice/core/audio';

export const SINGLE_UTTERANCE_16K = fileURLToPath(
  new URL('../../../../fixtures/audio/single-utterance-16k.wav', import.meta.url),
);

/** A recorded utterance (16 kHz mono, speech then silence), as the service takes it. */
export function utterance16k(): Int16Array {
  return decodeWav(readFileSync(SINGLE_UTTERANCE_16K), SINGLE_UTTERANCE_16K, 'pcm16').samples;
}

/** The utterance as 20 ms audio frames. */
export function utteranceFrames(): AudioFrame[] {
  const samples = utterance16k();
  const size = 320;
  const frames: AudioFrame[] = [];
  for (let i = 0; i < samples.length; i += size) {
    frames.push({
      kind: 'audio',
      timestamp: (i / 16_000) * 1000,
      format: { encoding: 'pcm16', sampleRate: 16_000, channels: 1 },
      samples: samples.subarray(i, Math.min(samples.length, i + size)),
    });
  }
  return frames;
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
