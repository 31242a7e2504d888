import { type AudioFormat, type AudioFrame, f32ToPcm16 } from '@beluga-voice/core';
import { type G711Law, g711Decode, g711DecodeF32, g711Encode } from '@beluga-voice/core/audio';

export type LinearEncoding = 'pcm16' | 'f32';

/** pcm16 (or f32) frame → G.711 frame; everything but the samples is kept. */
export function encodeG711Frame(law: G711Law, frame: AudioFrame): AudioFrame {
  const linear =
    frame.format.encoding === 'f32' ? f32ToPcm16(frame.samples as Float32Array) : (frame.samples as Int16Array);
  return { ...frame, format: { ...frame.format, encoding: law }, samples: g711Encode(law, linear) };
}

/** G.711 frame → pcm16 or f32 frame. */
export function decodeG711Frame(law: G711Law, frame: AudioFrame, encoding: LinearEncoding): AudioFrame {
  const bytes = frame.samples as Uint8Array;
  const samples = encoding === 'f32' ? g711DecodeF32(law, bytes) : g711Decode(law, bytes);
  return { ...frame, format: { ...frame.format, encoding }, samples };
}

const sameShape = (from: AudioFormat, to: AudioFormat) =>
  from.sampleRate === to.sampleRate && from.channels === to.channels;

/** `converter.configFor` of an encoder: linear → `law` at the same rate and channel count. */
export function encoderConfigFor(law: G711Law) {
  return (from: AudioFormat, to: AudioFormat): Record<string, never> | undefined =>
    (from.encoding === 'pcm16' || from.encoding === 'f32') && to.encoding === law && sameShape(from, to)
      ? {}
      : undefined;
}

/** `converter.configFor` of a decoder: `law` → pcm16 or f32 at the same rate and channel count. */
export function decoderConfigFor(law: G711Law) {
  return (from: AudioFormat, to: AudioFormat): { encoding: LinearEncoding } | undefined =>
    from.encoding === law && (to.encoding === 'pcm16' || to.encoding === 'f32') && sameShape(from, to)
      ? { encoding: to.encoding }
      : undefined;
}
