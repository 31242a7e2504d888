import type { AudioFormat, SampleArrays, Samples } from '../audio-format.js';
import { type DecodeTarget, decodedEncoding, decodeSamples } from './sample-coding.js';
import { parseWavHeader, type WavInfo } from './wav-header.js';

/** The sample array a decode target gives: linear targets are known, `auto` keeps the stored encoding. */
export type DecodedSamples<T extends DecodeTarget> = T extends 'pcm16' | 'f32' ? SampleArrays[T] : Samples;

export interface DecodedWav<T extends DecodeTarget = DecodeTarget> {
  readonly info: WavInfo;
  readonly format: AudioFormat;
  readonly samples: DecodedSamples<T>;
}

/**
 * Decodes a whole WAV file held in memory (any coding `parseWavHeader` accepts) to interleaved
 * samples of `decodedEncoding(coding, target)`. `name` is used in error messages.
 */
export function decodeWav<T extends DecodeTarget = 'auto'>(
  bytes: Uint8Array,
  name: string,
  target: T = 'auto' as T,
): DecodedWav<T> {
  const info = parseWavHeader((offset, length) => bytes.subarray(offset, offset + length), bytes.byteLength, name);
  const data = bytes.subarray(info.dataOffset, info.dataOffset + info.dataBytes);
  return {
    info,
    format: { encoding: decodedEncoding(info.coding, target), sampleRate: info.sampleRate, channels: info.channels },
    samples: decodeSamples(data, info.coding, info.bigEndian, target) as DecodedSamples<T>,
  };
}
