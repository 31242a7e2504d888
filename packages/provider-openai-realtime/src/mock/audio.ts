import { readFileSync } from 'node:fs';
import { bytesToSamples } from '@beluga-voice/core';
import { decodeWav, type G711Law, g711Decode, g711Encode } from '@beluga-voice/core/audio';

export type MockAudioFormat = 'pcm16' | 'g711_ulaw' | 'g711_alaw';

export function sampleRateOf(format: MockAudioFormat): number {
  return format === 'pcm16' ? 24000 : 8000;
}

function lawOf(format: Exclude<MockAudioFormat, 'pcm16'>): G711Law {
  return format === 'g711_ulaw' ? 'mulaw' : 'alaw';
}

export function bytesPerMs(format: MockAudioFormat): number {
  return format === 'pcm16' ? 48 : 8;
}

/** Wire bytes → 16-bit samples (for the VAD). */
export function decodeToPcm16(format: MockAudioFormat, bytes: Uint8Array): Int16Array {
  if (format === 'pcm16') {
    return bytesToSamples('pcm16', bytes.subarray(0, bytes.byteLength - (bytes.byteLength % 2)));
  }
  return g711Decode(lawOf(format), bytes);
}

/** 16-bit samples at the format's rate → wire bytes. */
export function encodeFromPcm16(format: MockAudioFormat, samples: Int16Array): Uint8Array {
  if (format === 'pcm16') return new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
  return g711Encode(lawOf(format), samples);
}

/** A sine tone with 10 ms fades, at amplitude 0.3 of full scale. */
export function tone(frequencyHz: number, durationMs: number, sampleRate: number): Int16Array {
  const n = Math.round((durationMs * sampleRate) / 1000);
  const fade = Math.round(sampleRate / 100);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const envelope = Math.min(1, i / fade, (n - 1 - i) / fade);
    out[i] = Math.round(0.3 * 32767 * envelope * Math.sin((2 * Math.PI * frequencyHz * i) / sampleRate));
  }
  return out;
}

/** Reads a WAV file as mono 16-bit samples at `sampleRate` (channels averaged, linear resampling). */
export function readWavAsPcm16(path: string, sampleRate: number): Int16Array {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new Error(`mock script: cannot read ${path}: ${(error as Error).message}`);
  }
  const wav = decodeWav(bytes, `mock script: ${path}`, 'pcm16');
  const { samples } = wav;
  const { channels, sampleRate: rate } = wav.format;
  const frames = Math.floor(samples.length / channels);
  const mono = new Float64Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += samples[i * channels + c];
    mono[i] = sum / channels;
  }
  return resampleLinear(mono, rate, sampleRate);
}

function resampleLinear(input: Float64Array, from: number, to: number): Int16Array {
  const n = Math.floor((input.length * to) / from);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const pos = (i * from) / to;
    const k = Math.floor(pos);
    const frac = pos - k;
    const a = input[k] ?? 0;
    const b = input[k + 1] ?? a;
    out[i] = Math.max(-32768, Math.min(32767, Math.round(a + (b - a) * frac)));
  }
  return out;
}
