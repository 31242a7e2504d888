import { readFileSync } from 'node:fs';
import { alawToLinear, linearToAlaw, linearToMulaw, mulawToLinear } from './g711.js';

export type MockAudioFormat = 'pcm16' | 'g711_ulaw' | 'g711_alaw';

export function sampleRateOf(format: MockAudioFormat): number {
  return format === 'pcm16' ? 24000 : 8000;
}

export function bytesPerMs(format: MockAudioFormat): number {
  return format === 'pcm16' ? 48 : 8;
}

/** Wire bytes → 16-bit samples (for the VAD). */
export function decodeToPcm16(format: MockAudioFormat, bytes: Uint8Array): Int16Array {
  if (format === 'pcm16') {
    const even = bytes.byteLength - (bytes.byteLength % 2);
    const copy = new Uint8Array(even);
    copy.set(bytes.subarray(0, even));
    return new Int16Array(copy.buffer);
  }
  const decode = format === 'g711_ulaw' ? mulawToLinear : alawToLinear;
  const out = new Int16Array(bytes.byteLength);
  for (let i = 0; i < bytes.byteLength; i++) out[i] = decode(bytes[i]);
  return out;
}

/** 16-bit samples at the format's rate → wire bytes. */
export function encodeFromPcm16(format: MockAudioFormat, samples: Int16Array): Uint8Array {
  if (format === 'pcm16') return new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
  const encode = format === 'g711_ulaw' ? linearToMulaw : linearToAlaw;
  const out = new Uint8Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = encode(samples[i]);
  return out;
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

/** Reads a PCM16 WAV file as mono samples at `sampleRate` (channels averaged, linear resampling). */
export function readWavAsPcm16(path: string, sampleRate: number): Int16Array {
  const file = readFileSync(path);
  if (file.toString('ascii', 0, 4) !== 'RIFF' || file.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error(`mock script: ${path} is not a WAV file`);
  }
  let offset = 12;
  let channels = 0;
  let rate = 0;
  let bits = 0;
  while (offset + 8 <= file.length) {
    const id = file.toString('ascii', offset, offset + 4);
    const size = file.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      channels = file.readUInt16LE(body + 2);
      rate = file.readUInt32LE(body + 4);
      bits = file.readUInt16LE(body + 14);
    } else if (id === 'data') {
      if (bits !== 16 || channels === 0) throw new Error(`mock script: ${path} must be 16-bit PCM (has ${bits}-bit)`);
      const frames = Math.floor(Math.min(size, file.length - body) / 2 / channels);
      const mono = new Float64Array(frames);
      for (let i = 0; i < frames; i++) {
        let sum = 0;
        for (let c = 0; c < channels; c++) sum += file.readInt16LE(body + (i * channels + c) * 2);
        mono[i] = sum / channels;
      }
      return resampleLinear(mono, rate, sampleRate);
    }
    offset = body + size + (size % 2);
  }
  throw new Error(`mock script: ${path} has no data chunk`);
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
