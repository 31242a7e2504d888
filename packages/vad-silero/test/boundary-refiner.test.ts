import { describe, expect, it } from 'vitest';
import { BoundaryRefiner } from '../src/boundary-refiner.js';

const RATE = 16000;
const WINDOW = 512;
const WINDOW_MS = 32;

/** Seeded noise at about `db` dBFS RMS, with a 300 Hz tone at `toneDb` between `fromMs` and `toMs`. */
function signal(totalMs: number, db: number, tone?: { fromMs: number; toMs: number; toneDb: number }): Float32Array {
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const out = new Float32Array((totalMs * RATE) / 1000);
  const noise = 10 ** (db / 20) * Math.sqrt(3);
  for (let i = 0; i < out.length; i++) {
    out[i] = noise * (2 * random() - 1);
    const ms = (i / RATE) * 1000;
    if (tone && ms >= tone.fromMs && ms < tone.toMs) {
      out[i] += 10 ** (tone.toneDb / 20) * Math.SQRT2 * Math.sin((2 * Math.PI * 300 * i) / RATE);
    }
  }
  return out;
}

/** Feeds the signal window by window with a probability that lags the tone as Silero's does. */
function feed(refiner: BoundaryRefiner, samples: Float32Array, speech: (windowStartMs: number) => boolean): void {
  refiner.start(WINDOW_MS, 0);
  for (let w = 0; (w + 1) * WINDOW <= samples.length; w++) {
    refiner.push(samples.subarray(w * WINDOW, (w + 1) * WINDOW), speech(w * WINDOW_MS) ? 0.95 : 0.02);
  }
}

describe('BoundaryRefiner', () => {
  it("moves a late onset and a late end onto the signal's rise and fall, to within one 16 ms block", () => {
    const refiner = new BoundaryRefiner({ threshold: 0.5, minSpeechMs: 100 });
    // Speech 1000-2000 ms at 20 dB SNR; the "model" says speech from 1056 ms to 2208 ms.
    feed(refiner, signal(3000, -50, { fromMs: 1000, toMs: 2000, toneDb: -30 }), (ms) => ms >= 1056 && ms < 2208);
    expect(Math.abs(refiner.refineStart(1056) - 1000)).toBeLessThanOrEqual(16);
    expect(Math.abs(refiner.refineEnd(2208) - 2000)).toBeLessThanOrEqual(16);
  });

  it('stays within its search bounds: a boundary with no level change near it keeps a bounded distance', () => {
    const refiner = new BoundaryRefiner({ threshold: 0.5, minSpeechMs: 100 });
    // Steady noise only, but the "model" claims speech from 1504 to 2016 ms.
    feed(refiner, signal(3000, -40), (ms) => ms >= 1504 && ms < 2016);
    const start = refiner.refineStart(1504);
    const end = refiner.refineEnd(2016);
    expect(start).toBeGreaterThanOrEqual(1504 - 200 - 96);
    expect(start).toBeLessThanOrEqual(1504 + 64);
    expect(end).toBeGreaterThan(start);
    expect(end).toBeLessThanOrEqual(2016 + 48);
  });

  it('leaves a boundary older than its history where the model put it', () => {
    const refiner = new BoundaryRefiner({ threshold: 0.5, minSpeechMs: 100 });
    feed(refiner, signal(10_000, -50, { fromMs: 1000, toMs: 9000, toneDb: -30 }), (ms) => ms >= 1056);
    expect(refiner.refineStart(1056)).toBe(1056);
  });
});
