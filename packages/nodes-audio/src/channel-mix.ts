/**
 * Channel up/down mixing on interleaved samples.
 *
 * Down-mixing averages: output channel `o` is the mean of the input channels `c` with
 * `c % outChannels === o` (so N → 1 is the mean of all channels and 4 → 2 keeps left and right
 * sides). Up-mixing copies: output channel `o` is input channel `o % inChannels` (mono → stereo
 * duplicates). Averaging never clips.
 */
import { f32ToPcm16, pcm16ToF32 } from '@beluga-voice/core';

/** Scale that maps a sample array's values to floats in [-1, 1). */
function sampleScale(samples: Int16Array | Float32Array): number {
  return samples instanceof Int16Array ? 1 / 32768 : 1;
}

/**
 * Writes `frames` frames of `src` (interleaved, `inChannels`) into `dst` starting at frame
 * `dstFrame`, as floats with `outChannels` channels, where `outChannels <= inChannels`.
 */
export function downmixInto(
  src: Int16Array | Float32Array,
  inChannels: number,
  dst: Float32Array,
  dstFrame: number,
  outChannels: number,
): void {
  const frames = src.length / inChannels;
  const scale = sampleScale(src);
  let d = dstFrame * outChannels;
  if (inChannels === outChannels) {
    // Monomorphic loops: the hot path of mono resampling.
    const target = dst.subarray(d, d + src.length);
    if (src instanceof Int16Array) pcm16ToF32(src, target as Float32Array<ArrayBuffer>);
    else target.set(src);
    return;
  }
  if (outChannels === 1) {
    const gain = scale / inChannels;
    for (let f = 0, s = 0; f < frames; f++) {
      let sum = 0;
      for (let c = 0; c < inChannels; c++) sum += src[s++];
      dst[d++] = sum * gain;
    }
    return;
  }
  for (let f = 0, s = 0; f < frames; f++, s += inChannels, d += outChannels) {
    for (let o = 0; o < outChannels; o++) {
      let sum = 0;
      let count = 0;
      for (let c = o; c < inChannels; c += outChannels, count++) sum += src[s + c];
      dst[d + o] = (sum * scale) / count;
    }
  }
}

/**
 * Writes `frames` frames of `src` (floats, `inChannels`) into the start of `dst` with
 * `outChannels >= inChannels`, converting to `dst`'s sample type.
 */
export function writeUpmixed(
  src: Float32Array,
  inChannels: number,
  dst: Int16Array | Float32Array,
  outChannels: number,
  frames: number,
): void {
  const pcm16 = dst instanceof Int16Array;
  if (inChannels === outChannels) {
    const n = frames * outChannels;
    if (pcm16) f32ToPcm16(src.subarray(0, n), dst as Int16Array<ArrayBuffer>);
    else dst.set(src.subarray(0, n));
    return;
  }
  let d = 0;
  for (let f = 0, s = 0; f < frames; f++, s += inChannels) {
    for (let o = 0; o < outChannels; o++) {
      const v = src[s + (o % inChannels)];
      dst[d++] = pcm16 ? floatToPcm16(v) : v;
    }
  }
}

/** Rounds and saturates a float in [-1, 1) to a 16-bit sample. */
function floatToPcm16(v: number): number {
  const s = Math.round(v * 32768);
  return Math.max(-32768, Math.min(32767, s));
}
