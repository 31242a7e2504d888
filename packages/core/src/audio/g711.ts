import { allocSamples } from '../audio-format.js';

/**
 * ITU-T G.711 μ-law and A-law, as the reference algorithm (the public-domain Sun g711.c that sox and
 * ffmpeg follow) defines them, precomputed into lookup tables: 64 Ki entries to encode a 16-bit sample
 * in one read, 256 to decode a byte.
 */
export type G711Law = 'mulaw' | 'alaw';

const MULAW_BIAS = 0x84;
const MULAW_CLIP = 8159;
const MULAW_SEGMENT_ENDS = [0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff];
const ALAW_SEGMENT_ENDS = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];

function segmentOf(magnitude: number, ends: readonly number[]): number {
  for (let i = 0; i < ends.length; i++) if (magnitude <= ends[i]) return i;
  return ends.length;
}

function mulawEncodeOne(pcm: number): number {
  // The reference works on 14-bit samples: the arithmetic shift floors negative values.
  let value = pcm >> 2;
  let mask = 0xff;
  if (value < 0) {
    value = -value;
    mask = 0x7f;
  }
  if (value > MULAW_CLIP) value = MULAW_CLIP;
  value += MULAW_BIAS >> 2;
  const segment = segmentOf(value, MULAW_SEGMENT_ENDS);
  if (segment >= 8) return 0x7f ^ mask;
  return ((segment << 4) | ((value >> (segment + 1)) & 0x0f)) ^ mask;
}

function mulawDecodeOne(byte: number): number {
  const u = ~byte & 0xff;
  const t = (((u & 0x0f) << 3) + MULAW_BIAS) << ((u & 0x70) >> 4);
  return u & 0x80 ? MULAW_BIAS - t : t - MULAW_BIAS;
}

function alawEncodeOne(pcm: number): number {
  // A-law works on 13-bit samples.
  let value = pcm >> 3;
  let mask = 0xd5;
  if (value < 0) {
    mask = 0x55;
    value = -value - 1;
  }
  const segment = segmentOf(value, ALAW_SEGMENT_ENDS);
  if (segment >= 8) return 0x7f ^ mask;
  const step = segment < 2 ? (value >> 1) & 0x0f : (value >> segment) & 0x0f;
  return ((segment << 4) | step) ^ mask;
}

function alawDecodeOne(byte: number): number {
  const a = byte ^ 0x55;
  let t = (a & 0x0f) << 4;
  const segment = (a & 0x70) >> 4;
  if (segment === 0) t += 8;
  else if (segment === 1) t += 0x108;
  else t = (t + 0x108) << (segment - 1);
  return a & 0x80 ? t : -t;
}

function buildTables(encodeOne: (pcm: number) => number, decodeOne: (byte: number) => number) {
  const encode = new Uint8Array(65536);
  for (let pcm = -32768; pcm < 32768; pcm++) encode[pcm + 32768] = encodeOne(pcm);
  const decode = new Int16Array(256);
  for (let byte = 0; byte < 256; byte++) decode[byte] = decodeOne(byte);
  return { encode, decode };
}

const TABLES: Record<G711Law, { encode: Uint8Array; decode: Int16Array }> = {
  mulaw: buildTables(mulawEncodeOne, mulawDecodeOne),
  alaw: buildTables(alawEncodeOne, alawDecodeOne),
};

/** Encodes 16-bit linear samples to G.711 bytes. */
export function g711Encode(law: G711Law, pcm: Int16Array, out = new Uint8Array(pcm.length)): Uint8Array {
  const table = TABLES[law].encode;
  for (let i = 0; i < pcm.length; i++) out[i] = table[pcm[i] + 32768];
  return out;
}

/** Decodes G.711 bytes to 16-bit linear samples. */
export function g711Decode(law: G711Law, bytes: Uint8Array, out = allocSamples('pcm16', bytes.length)): Int16Array {
  const table = TABLES[law].decode;
  for (let i = 0; i < bytes.length; i++) out[i] = table[bytes[i]];
  return out;
}

/** Decodes G.711 bytes straight to floats in [-1, 1). */
export function g711DecodeF32(law: G711Law, bytes: Uint8Array, out = allocSamples('f32', bytes.length)): Float32Array {
  const table = TABLES[law].decode;
  for (let i = 0; i < bytes.length; i++) out[i] = table[bytes[i]] / 32768;
  return out;
}
