/**
 * Kaiser-windowed sinc low-pass filters for rational L/M resampling, split into L polyphase
 * branches so that each output sample costs `taps` multiply-adds at the input rate.
 */

export type ResampleQuality = 'high' | 'low';

export interface FilterDesign {
  /** Stopband attenuation the Kaiser window is designed for, in dB. */
  readonly attenuationDb: number;
  /** End of the passband, as a fraction of the lower of the two sample rates. */
  readonly passbandEdge: number;
  /** Start of the stopband, as a fraction of the lower rate (0.5 = its Nyquist: nothing aliases). */
  readonly stopbandEdge: number;
}

/**
 * `high`: flat to 45 % of the lower rate and at least 80 dB down from its Nyquist on (designed for
 * 90 dB so that float32 coefficients and the length estimate keep a margin).
 * `low`: a short filter for VAD input, flat to 35 % of the lower rate, 55 dB down.
 */
export const FILTER_DESIGNS: Readonly<Record<ResampleQuality, FilterDesign>> = {
  high: { attenuationDb: 90, passbandEdge: 0.45, stopbandEdge: 0.5 },
  low: { attenuationDb: 55, passbandEdge: 0.35, stopbandEdge: 0.5 },
};

export interface PolyphaseBank {
  /** Interpolation factor L. */
  readonly up: number;
  /** Decimation factor M. */
  readonly down: number;
  /** Coefficients per phase: a multiple of 4, except 1 for the identity bank (same rates). */
  readonly taps: number;
  /** Group delay of the prototype filter, in samples at the upsampled rate (L × input rate). */
  readonly delay: number;
  /**
   * `up` phases of `taps` coefficients each. Phase `p` starts at `p * taps` and is stored
   * oldest-input-first: coefficient `t` multiplies input `i - taps + 1 + t`, where `i` is the
   * newest input the output depends on.
   */
  readonly coefficients: Float32Array;
}

export function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Zeroth-order modified Bessel function of the first kind (power series). */
function besselI0(x: number): number {
  const q = (x * x) / 4;
  let term = 1;
  let sum = 1;
  for (let k = 1; term > sum * 1e-17; k++) {
    term *= q / (k * k);
    sum += term;
  }
  return sum;
}

/** Kaiser's empirical β for a stopband attenuation in dB. */
function kaiserBeta(attenuationDb: number): number {
  if (attenuationDb > 50) return 0.1102 * (attenuationDb - 8.7);
  if (attenuationDb >= 21) return 0.5842 * (attenuationDb - 21) ** 0.4 + 0.07886 * (attenuationDb - 21);
  return 0;
}

/** Banks designed so far, the oldest dropped past `MAX_BANKS`: a design takes milliseconds (tens for 44.1 kHz pairs). */
const banks = new Map<string, PolyphaseBank>();
const MAX_BANKS = 32;

/**
 * The polyphase filter bank that turns `inRate` into `outRate` (both in Hz, integers), designed
 * once per pair and quality and shared (read only) by every resampler.
 */
export function designPolyphaseBank(inRate: number, outRate: number, quality: ResampleQuality): PolyphaseBank {
  const key = `${inRate}:${outRate}:${quality}`;
  let bank = banks.get(key);
  if (!bank) {
    bank = designBank(inRate, outRate, quality);
    if (banks.size >= MAX_BANKS) banks.delete(banks.keys().next().value as string);
    banks.set(key, bank);
  }
  return bank;
}

function designBank(inRate: number, outRate: number, quality: ResampleQuality): PolyphaseBank {
  const g = gcd(inRate, outRate);
  const up = outRate / g;
  const down = inRate / g;
  if (up === 1 && down === 1) {
    return { up, down, taps: 1, delay: 0, coefficients: Float32Array.of(1) };
  }
  const design = FILTER_DESIGNS[quality];
  const lower = Math.min(inRate, outRate);
  const upsampledRate = inRate * up;
  // Cutoff in the middle of the transition band, in cycles per upsampled sample.
  const cutoff = (((design.passbandEdge + design.stopbandEdge) / 2) * lower) / upsampledRate;
  const transition = ((design.stopbandEdge - design.passbandEdge) * lower) / upsampledRate;
  const length = Math.ceil((design.attenuationDb - 7.95) / (2.285 * 2 * Math.PI * transition)) + 1;
  // A multiple of 4, so that the inner loop can run four independent accumulators.
  const taps = 4 * Math.ceil(length / up / 4);
  // Odd-length, symmetric prototype centred on an integer sample: linear phase, integer delay.
  const delay = Math.floor((taps * up - 1) / 2);
  const beta = kaiserBeta(design.attenuationDb);
  const i0Beta = besselI0(beta);
  const prototype = new Float64Array(taps * up);
  for (let k = 0; k <= 2 * delay; k++) {
    const x = k - delay;
    const r = x / delay;
    const window = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
    const arg = 2 * cutoff * x;
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * arg) / (Math.PI * arg);
    prototype[k] = up * 2 * cutoff * sinc * window;
  }
  const coefficients = new Float32Array(taps * up);
  for (let p = 0; p < up; p++) {
    // Each phase is normalised to unit DC gain, so that a constant input stays exactly constant.
    let sum = 0;
    for (let j = 0; j < taps; j++) sum += prototype[p + j * up];
    for (let j = 0; j < taps; j++) coefficients[p * taps + (taps - 1 - j)] = prototype[p + j * up] / sum;
  }
  return { up, down, taps, delay, coefficients };
}
