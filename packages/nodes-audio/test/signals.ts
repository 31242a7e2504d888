/** Test signals and measurements for the resampler. */

export function sine(rate: number, freq: number, frames: number, amplitude = 0.5, channels = 1): Float32Array {
  const out = new Float32Array(frames * channels);
  for (let i = 0; i < frames; i++) {
    const v = amplitude * Math.sin((2 * Math.PI * freq * i) / rate);
    for (let c = 0; c < channels; c++) out[i * channels + c] = v;
  }
  return out;
}

export function rms(samples: ArrayLike<number>, from = 0, to = samples.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += samples[i] * samples[i];
  return Math.sqrt(sum / (to - from));
}

export const db = (ratio: number): number => 20 * Math.log10(ratio);

/** Splits `samples` into chunks of pseudo-random sizes (whole frames), deterministic for a seed. */
export function randomChunks<T extends Int16Array | Float32Array>(
  samples: T,
  channels: number,
  seed: number,
  maxFrames = 700,
): T[] {
  const chunks: T[] = [];
  let state = seed;
  for (let i = 0; i < samples.length; ) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const frames = 1 + (state % maxFrames);
    chunks.push(samples.subarray(i, i + frames * channels) as T);
    i += frames * channels;
  }
  return chunks;
}

export function concat<T extends Int16Array | Float32Array>(parts: T[]): T {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = (parts[0] instanceof Int16Array ? new Int16Array(total) : new Float32Array(total)) as T;
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** In-place radix-2 FFT of (re, im); length must be a power of two. */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const step = (-2 * Math.PI) / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < size / 2; k++) {
        const wr = Math.cos(step * k);
        const wi = Math.sin(step * k);
        const a = start + k;
        const b = a + size / 2;
        const tr = re[b] * wr - im[b] * wi;
        const ti = re[b] * wi + im[b] * wr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
      }
    }
  }
}

/**
 * Signal-to-noise ratio of `test` against `reference` counted only below `maxHz`: Hann-windowed
 * frames of 4096 samples, energy of the reference over energy of the difference.
 */
export function bandSnrDb(reference: ArrayLike<number>, test: ArrayLike<number>, rate: number, maxHz: number): number {
  const size = 4096;
  const maxBin = Math.floor((maxHz / rate) * size);
  let signal = 0;
  let noise = 0;
  const length = Math.min(reference.length, test.length);
  for (let start = 0; start + size <= length; start += size / 2) {
    const sr = new Float64Array(size);
    const si = new Float64Array(size);
    const er = new Float64Array(size);
    const ei = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size);
      sr[i] = w * reference[start + i];
      er[i] = w * (test[start + i] - reference[start + i]);
    }
    fft(sr, si);
    fft(er, ei);
    for (let k = 0; k <= maxBin; k++) {
      signal += sr[k] * sr[k] + si[k] * si[k];
      noise += er[k] * er[k] + ei[k] * ei[k];
    }
  }
  return 10 * Math.log10(signal / noise);
}
