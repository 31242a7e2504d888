/** Level of a 16-bit window in dBFS. */
export function levelDb(samples: Int16Array): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
  return 10 * Math.log10(sum / Math.max(1, samples.length) / 32768 ** 2 + 1e-12);
}

/** Power of `frequencyHz` in a window (Goertzel), normalised by the window length. */
export function tonePower(samples: Int16Array, frequencyHz: number, sampleRate: number): number {
  const coefficient = 2 * Math.cos((2 * Math.PI * frequencyHz) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < samples.length; i++) {
    const s0 = samples[i] / 32768 + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return (s1 * s1 + s2 * s2 - coefficient * s1 * s2) / (samples.length * samples.length);
}

export interface ToneRun {
  readonly frequencyHz: number;
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * Splits audio into 20 ms windows, labels each voiced window (> -40 dBFS) with the strongest of
 * `frequencies`, and merges neighbours with the same label: the regions of each tone, in order.
 */
export function toneRuns(samples: Int16Array, sampleRate: number, frequencies: readonly number[]): ToneRun[] {
  const size = (sampleRate * 20) / 1000;
  const runs: ToneRun[] = [];
  for (let w = 0; (w + 1) * size <= samples.length; w++) {
    const window = samples.subarray(w * size, (w + 1) * size);
    if (levelDb(window) < -40) continue;
    const powers = frequencies.map((f) => tonePower(window, f, sampleRate));
    const frequencyHz = frequencies[powers.indexOf(Math.max(...powers))];
    const last = runs.at(-1);
    if (last && last.frequencyHz === frequencyHz && last.endMs === w * 20) {
      runs[runs.length - 1] = { ...last, endMs: (w + 1) * 20 };
    } else {
      runs.push({ frequencyHz, startMs: w * 20, endMs: (w + 1) * 20 });
    }
  }
  return runs;
}
