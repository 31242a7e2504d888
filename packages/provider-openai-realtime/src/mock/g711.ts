/** G.711 μ-law and A-law (ITU-T G.711), sample by sample: the mock's telephony formats. */

const BIAS = 0x84;
const CLIP = 32635;

export function linearToMulaw(sample: number): number {
  const sign = sample < 0 ? 0x80 : 0;
  let magnitude = Math.min(CLIP, Math.abs(sample)) + BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  magnitude = ~(sign | (exponent << 4) | mantissa);
  return magnitude & 0xff;
}

export function mulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const exponent = (u >> 4) & 0x07;
  const magnitude = ((((u & 0x0f) << 3) + BIAS) << exponent) - BIAS;
  return u & 0x80 ? -magnitude : magnitude;
}

export function linearToAlaw(sample: number): number {
  const sign = sample >= 0 ? 0xd5 : 0x55;
  let magnitude = Math.min(32767, Math.abs(sample)) >> 3;
  if (magnitude < 32) return (sign ^ (magnitude >> 1)) & 0xff;
  let exponent = 1;
  while (magnitude >= 64 && exponent < 7) {
    magnitude >>= 1;
    exponent++;
  }
  return (sign ^ ((exponent << 4) | ((magnitude >> 1) & 0x0f))) & 0xff;
}

export function alawToLinear(byte: number): number {
  const a = byte ^ 0x55;
  const exponent = (a >> 4) & 0x07;
  let magnitude = (a & 0x0f) << 4;
  magnitude = exponent === 0 ? magnitude + 8 : (magnitude + 0x108) << (exponent - 1);
  return a & 0x80 ? magnitude : -magnitude;
}
