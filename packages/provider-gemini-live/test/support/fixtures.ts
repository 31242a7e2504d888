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

// The same helpers as the OpenAI provider's tests (this package's tests depend on that package).
export { base64, until } from '../../../provider-openai-realtime/test/support/fixtures.js';
