import {
  type AudioEncoding,
  allocSamples,
  bytesToSamples,
  f32ToPcm16,
  pcm16ToF32,
  type Samples,
} from '../audio-format.js';
import { g711Decode, g711DecodeF32 } from './g711.js';
import type { WavSampleCoding } from './wav-header.js';

/** What a decoder may produce: the stored encoding kept as is, or linear samples. */
export type DecodeTarget = 'auto' | 'pcm16' | 'f32';

const BYTES: Record<WavSampleCoding, number> = { u8: 1, s16: 2, s24: 3, s32: 4, f32: 4, f64: 8, mulaw: 1, alaw: 1 };

export function codingBytes(coding: WavSampleCoding): number {
  return BYTES[coding];
}

/**
 * The frame encoding a stored coding decodes to: the four frame encodings are kept as they are
 * with `auto`; other integer widths become pcm16 and 64-bit floats f32.
 */
export function decodedEncoding(coding: WavSampleCoding, target: DecodeTarget): AudioEncoding {
  if (target !== 'auto') return target;
  switch (coding) {
    case 'f32':
    case 'f64':
      return 'f32';
    case 'mulaw':
    case 'alaw':
      return coding;
    default:
      return 'pcm16';
  }
}

function readFloats(bytes: Uint8Array, coding: WavSampleCoding, bigEndian: boolean): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = !bigEndian;
  const n = bytes.byteLength / BYTES[coding];
  const out = allocSamples('f32', n);
  switch (coding) {
    case 'u8':
      for (let i = 0; i < n; i++) out[i] = (bytes[i] - 128) / 128;
      break;
    case 's16':
      for (let i = 0; i < n; i++) out[i] = view.getInt16(i * 2, le) / 32768;
      break;
    case 's24':
      for (let i = 0, at = 0; i < n; i++, at += 3) {
        const v = le
          ? bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16)
          : (bytes[at] << 16) | (bytes[at + 1] << 8) | bytes[at + 2];
        out[i] = ((v << 8) >> 8) / 8388608;
      }
      break;
    case 's32':
      for (let i = 0; i < n; i++) out[i] = view.getInt32(i * 4, le) / 2147483648;
      break;
    case 'f32':
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, le);
      break;
    case 'f64':
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(i * 8, le);
      break;
    default:
      return g711DecodeF32(coding, bytes);
  }
  return out;
}

function readInt16(bytes: Uint8Array, coding: WavSampleCoding, bigEndian: boolean): Int16Array {
  if (coding === 'mulaw' || coding === 'alaw') return g711Decode(coding, bytes);
  if (coding !== 's16') return f32ToPcm16(readFloats(bytes, coding, bigEndian));
  // Little-endian data on a little-endian host (Node on x64/arm64): one copy, no per-sample work.
  if (!bigEndian) return bytesToSamples('pcm16', bytes);
  const out = allocSamples('pcm16', bytes.byteLength / 2);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt16(i * 2, !bigEndian);
  return out;
}

/** Decodes stored samples (a whole number of them) into a fresh array of `decodedEncoding(coding, target)`. */
export function decodeSamples(
  bytes: Uint8Array,
  coding: WavSampleCoding,
  bigEndian: boolean,
  target: DecodeTarget,
): Samples {
  const encoding = decodedEncoding(coding, target);
  if (encoding === 'mulaw' || encoding === 'alaw') return new Uint8Array(bytes);
  if (encoding === 'pcm16') return readInt16(bytes, coding, bigEndian);
  if (coding === 's16') return pcm16ToF32(readInt16(bytes, coding, bigEndian));
  return readFloats(bytes, coding, bigEndian);
}

/** The stored coding of a raw file holding frame-encoded samples. */
export function codingOfEncoding(encoding: AudioEncoding): WavSampleCoding {
  return encoding === 'pcm16' ? 's16' : encoding;
}
