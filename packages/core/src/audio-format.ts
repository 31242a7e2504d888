import { carveSampleBytes } from './sample-slab.js';

/** Sample encodings a port can carry. `mulaw`/`alaw` are G.711 (8 bits per sample). */
export type AudioEncoding = 'pcm16' | 'f32' | 'mulaw' | 'alaw';

export const AUDIO_ENCODINGS: readonly AudioEncoding[] = ['pcm16', 'f32', 'mulaw', 'alaw'];

export interface AudioFormat {
  readonly encoding: AudioEncoding;
  readonly sampleRate: number;
  readonly channels: number;
}

/** Typed array holding interleaved samples for each encoding. */
export interface SampleArrays {
  pcm16: Int16Array;
  f32: Float32Array;
  mulaw: Uint8Array;
  alaw: Uint8Array;
}
export type Samples = SampleArrays[AudioEncoding];

export function bytesPerSample(encoding: AudioEncoding): number {
  switch (encoding) {
    case 'pcm16':
      return 2;
    case 'f32':
      return 4;
    case 'mulaw':
    case 'alaw':
      return 1;
  }
}

export function formatToString(f: AudioFormat): string {
  return `${f.encoding} ${f.sampleRate} Hz ${f.channels === 1 ? 'mono' : f.channels === 2 ? 'stereo' : `${f.channels} ch`}`;
}

export function sameFormat(a: AudioFormat, b: AudioFormat): boolean {
  return a.encoding === b.encoding && a.sampleRate === b.sampleRate && a.channels === b.channels;
}

/** Frames (one sample per channel) held by `samples` of this format. */
export function frameCount(format: AudioFormat, sampleCount: number): number {
  return sampleCount / format.channels;
}

export function samplesToMs(format: AudioFormat, sampleCount: number): number {
  return (sampleCount / format.channels / format.sampleRate) * 1000;
}

export function msToSamples(format: AudioFormat, ms: number): number {
  return Math.round((ms * format.sampleRate) / 1000) * format.channels;
}

export function bytesToMs(format: AudioFormat, bytes: number): number {
  return samplesToMs(format, bytes / bytesPerSample(format.encoding));
}

export function msToBytes(format: AudioFormat, ms: number): number {
  return msToSamples(format, ms) * bytesPerSample(format.encoding);
}

/** Allocates an empty (zeroed) sample array of the right type for `encoding`; small ones share a slab. */
export function allocSamples<E extends AudioEncoding>(encoding: E, length: number): SampleArrays[E] {
  const { buffer, byteOffset } = carveSampleBytes(length * bytesPerSample(encoding));
  switch (encoding) {
    case 'pcm16':
      return new Int16Array(buffer, byteOffset, length) as SampleArrays[E];
    case 'f32':
      return new Float32Array(buffer, byteOffset, length) as SampleArrays[E];
    default:
      return new Uint8Array(buffer, byteOffset, length) as SampleArrays[E];
  }
}

export function pcm16ToF32(input: Int16Array, out = allocSamples('f32', input.length)): Float32Array {
  for (let i = 0; i < input.length; i++) out[i] = input[i] / 32768;
  return out;
}

/** Clamps and rounds; values outside [-1, 1) saturate instead of wrapping. */
export function f32ToPcm16(input: Float32Array, out = allocSamples('pcm16', input.length)): Int16Array {
  for (let i = 0; i < input.length; i++) {
    out[i] = Math.max(-32768, Math.min(32767, Math.round(input[i] * 32768)));
  }
  return out;
}

/** Views the bytes of a sample array without copying (little-endian hosts, as Node on x64/arm64). */
export function samplesToBytes(samples: Samples): Uint8Array {
  return new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
}

/** Copies bytes into a fresh, aligned sample array of `encoding` (see `allocSamples`). */
export function bytesToSamples<E extends AudioEncoding>(encoding: E, bytes: Uint8Array): SampleArrays[E] {
  const size = bytesPerSample(encoding);
  if (bytes.byteLength % size !== 0) {
    throw new RangeError(`${bytes.byteLength} bytes is not a whole number of ${encoding} samples (${size} bytes each)`);
  }
  const samples = allocSamples(encoding, bytes.byteLength / size);
  samplesToBytes(samples).set(bytes);
  return samples;
}
