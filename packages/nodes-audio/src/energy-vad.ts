import { rmsDb } from '@beluga-voice/core/audio';
import type { WindowDecision } from './speech-segmenter.js';

export interface EnergyVadOptions {
  /** Window level above the noise floor that starts speech, in dB. */
  readonly startDb: number;
  /** Window level above the noise floor that keeps speech going, in dB (below `startDb`). */
  readonly stopDb: number;
  /** Absolute level (dBFS) a window must reach to start speech, so that noise over digital silence never does. */
  readonly minLevelDb: number;
  /** Noise floor assumed before any audio is heard, in dBFS. */
  readonly initialFloorDb: number;
  /** How fast the floor may rise when the level stays above it, in dB per second. */
  readonly floorRiseDbPerSec: number;
  /** A level this steady (standard deviation in dB over `steadyMs`) is background noise, not speech. */
  readonly steadyDb: number;
  readonly steadyMs: number;
}

/**
 * Energy VAD: compares each window's RMS level with an adaptive noise floor. The floor falls at
 * once to a quieter window (it tracks the minimum) and rises slowly, so that speech barely moves
 * it. Speech is never steady (syllables swing its level by 10 dB and more), so a level that has
 * stayed steady for `steadyMs` is taken as the new background at once: a fan or hum switching
 * on is absorbed in about that time.
 */
export class EnergyVad {
  private floor: number;
  /** Recent window levels (a ring) with their running sums, for the steadiness test. */
  private levels: Float64Array = new Float64Array(0);
  private next = 0;
  private count = 0;
  private sum = 0;
  private sumSquares = 0;

  constructor(private readonly options: EnergyVadOptions) {
    this.floor = options.initialFloorDb;
  }

  /** Current noise floor estimate, in dBFS. */
  get floorDb(): number {
    return this.floor;
  }

  /** Classifies one window of mono samples lasting `durationMs`. */
  classify(window: Float32Array, durationMs: number): WindowDecision {
    const level = rmsDb(window);
    const { startDb, stopDb, minLevelDb, floorRiseDbPerSec } = this.options;
    // The absolute minimum gets the same hysteresis gap as the floor-relative thresholds.
    const decision = {
      start: level >= this.floor + startDb && level >= minLevelDb,
      keep: level >= this.floor + stopDb && level >= minLevelDb - (startDb - stopDb),
    };
    this.floor = level < this.floor ? level : Math.min(level, this.floor + (floorRiseDbPerSec * durationMs) / 1000);
    const steadyLevel = this.track(level, durationMs);
    if (steadyLevel !== undefined && steadyLevel > this.floor) this.floor = steadyLevel;
    return decision;
  }

  /** Adds a level to the ring; returns the mean level when the ring is full and steady. */
  private track(level: number, durationMs: number): number | undefined {
    const size = Math.max(2, Math.round(this.options.steadyMs / durationMs));
    if (this.levels.length !== size) {
      this.levels = new Float64Array(size);
      this.next = this.count = this.sum = this.sumSquares = 0;
    }
    if (this.count === size) {
      const old = this.levels[this.next];
      this.sum -= old;
      this.sumSquares -= old * old;
    } else {
      this.count++;
    }
    this.levels[this.next] = level;
    this.next = (this.next + 1) % size;
    this.sum += level;
    this.sumSquares += level * level;
    if (this.count < size) return undefined;
    const mean = this.sum / size;
    const variance = Math.max(0, this.sumSquares / size - mean * mean);
    return Math.sqrt(variance) <= this.options.steadyDb ? mean : undefined;
  }
}
