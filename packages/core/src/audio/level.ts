/** Level given to digital silence, so that logs and comparisons never see -Infinity. */
export const SILENCE_DB = -120;

/**
 * Mean square of `samples[from..to)` relative to full scale: floats in [-1, 1) as they are,
 * 16-bit integers scaled by 1/32768.
 */
export function meanSquare(samples: Float32Array | Int16Array, from = 0, to = samples.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += samples[i] * samples[i];
  const scale = samples instanceof Int16Array ? 1 / (32768 * 32768) : 1;
  return to > from ? (sum * scale) / (to - from) : 0;
}

/**
 * RMS level of `samples[from..to)` in dBFS (a full-scale sine is -3 dBFS), never below
 * `SILENCE_DB`. The one level measure of every energy detector (the VAD node, the stubs' turn
 * detector, the mock's server VAD), so that one threshold means the same level in all three.
 */
export function rmsDb(samples: Float32Array | Int16Array, from = 0, to = samples.length): number {
  const ms = meanSquare(samples, from, to);
  return ms > 0 ? Math.max(SILENCE_DB, 10 * Math.log10(ms)) : SILENCE_DB;
}
