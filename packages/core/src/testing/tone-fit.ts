/** A sinusoid fitted to a stretch of audio (see `fitTone`). */
export interface ToneFit {
  /** Peak amplitude of the fitted sinusoid, in the samples' units. */
  readonly amplitude: number;
  /** RMS of what is left once the fitted sinusoid is taken away: noise, distortion, other tones. */
  readonly residualRms: number;
  /** The fitted sinusoid at sample `i` (any index, not only the fitted stretch). */
  wave(i: number): number;
}

/**
 * Least-squares fit of a sinusoid at `freq` Hz (any phase) over `samples[from, to)`: how loud a
 * known tone came out of a node, and how much else came with it. The measure behind resampler
 * gain, ripple and SNR in tests and benches alike.
 */
export function fitTone(samples: ArrayLike<number>, rate: number, freq: number, from: number, to: number): ToneFit {
  const w = (2 * Math.PI * freq) / rate;
  let ss = 0;
  let cc = 0;
  let sc = 0;
  let ys = 0;
  let yc = 0;
  for (let i = from; i < to; i++) {
    const s = Math.sin(w * i);
    const c = Math.cos(w * i);
    ss += s * s;
    cc += c * c;
    sc += s * c;
    ys += (samples[i] as number) * s;
    yc += (samples[i] as number) * c;
  }
  const det = ss * cc - sc * sc;
  const a = (ys * cc - yc * sc) / det;
  const b = (yc * ss - ys * sc) / det;
  const wave = (i: number) => a * Math.sin(w * i) + b * Math.cos(w * i);
  let residual = 0;
  for (let i = from; i < to; i++) residual += ((samples[i] as number) - wave(i)) ** 2;
  return { amplitude: Math.hypot(a, b), residualRms: Math.sqrt(residual / (to - from)), wave };
}
