import { rmsDb, SILENCE_DB } from '@beluga-voice/core/audio';

export interface BoundaryRefinerOptions {
  /** Silero probability that counts as speech (the node's `threshold`). */
  readonly threshold: number;
  /** Speech must last this long before it starts: the level history reaches that far past an onset. */
  readonly minSpeechMs: number;
}

/** Level blocks per 32 ms Silero window: 16 ms resolves a boundary well below a window. */
const BLOCKS_PER_WINDOW = 2;
/** A window this unlikely is background: its blocks measure the noise floor. */
const NOISE_PROBABILITY = 0.1;
/** How many background blocks (the most recent) the noise floor averages: 1.6 s. */
const NOISE_BLOCKS = 100;
/** A boundary sits at a rise to (or fall from) this fraction of the way from noise to speech level, in dB... */
const RISE_FRACTION = 0.3;
/** ...and at least this far above the noise... */
const MIN_RISE_DB = 4;
/** ...for this many blocks in a row (one loud block of noise is not speech). */
const RUN_BLOCKS = 2;
/** Then the boundary moves outwards over blocks still this far above the noise (soft onsets and tails). */
const EXTEND_DB = 4;
/** How far the onset may move back, and forward, from Silero's first speech window, and how far it may extend. */
const ONSET_BACK_MS = 200;
const ONSET_AHEAD_MS = 64;
const ONSET_EXTEND_MS = 96;
/** How far the end may move back from Silero's last speech window, and how far it may extend after. */
const END_BACK_MS = 400;
const END_EXTEND_MS = 48;
/** Level history kept: enough for the noise floor and the searches. */
const HISTORY_BLOCKS = 256;

function median(values: number[]): number {
  values.sort((a, b) => a - b);
  return values[values.length >> 1];
}

/**
 * Places Silero's speech boundaries on the signal. Silero decides well *whether* a 32 ms window is
 * speech, but its probability lags the signal: it rises a window or two late and stays high
 * 100-250 ms past the end of speech. The refiner keeps the level of every 16 ms block with the
 * probability of its window, estimates the noise floor from the windows Silero calls background
 * and the speech level from those it calls speech, and moves each boundary to where the level
 * crosses between them, within a bounded distance of Silero's own boundary.
 */
export class BoundaryRefiner {
  private readonly levels = new Float64Array(HISTORY_BLOCKS);
  private readonly probabilities = new Float64Array(HISTORY_BLOCKS);
  /** Blocks seen since `start`; block n began at `originMs + n * blockMs`. */
  private count = 0;
  private originMs = 0;
  private blockMs = 16;
  /** Block of the refined onset of the open segment. */
  private onsetBlock = 0;

  constructor(private readonly options: BoundaryRefinerOptions) {}

  /** Restarts the history for windows of `windowMs` whose timeline starts at `originMs`. */
  start(windowMs: number, originMs: number): void {
    this.blockMs = windowMs / BLOCKS_PER_WINDOW;
    this.originMs = originMs;
    this.count = 0;
    this.onsetBlock = 0;
  }

  /** Records one analysis window (consecutive with the previous one) and Silero's probability for it. */
  push(window: Float32Array, probability: number): void {
    const size = window.length / BLOCKS_PER_WINDOW;
    for (let b = 0; b < BLOCKS_PER_WINDOW; b++) {
      const slot = this.count % HISTORY_BLOCKS;
      this.levels[slot] = rmsDb(window, b * size, (b + 1) * size);
      this.probabilities[slot] = probability;
      this.count++;
    }
  }

  /** The refined time of a speech onset Silero placed at `onsetMs`. */
  refineStart(onsetMs: number): number {
    const at = this.blockAt(onsetMs);
    // An onset older than the history (a very long minSpeechMs) stays where Silero put it.
    if (at < this.oldest()) return onsetMs;
    const confirm: number[] = [];
    for (let n = at; n < this.count && n < at + Math.round(this.options.minSpeechMs / this.blockMs) + 2; n++) {
      confirm.push(this.level(n));
    }
    const noise = this.noiseFloor(at - 1);
    const speech = confirm.length > 0 ? median(confirm) : noise;
    const rise = Math.max(MIN_RISE_DB, RISE_FRACTION * (speech - noise));
    const first = Math.max(this.oldest(), at - this.blocks(ONSET_BACK_MS));
    const last = Math.min(this.count - RUN_BLOCKS, at + this.blocks(ONSET_AHEAD_MS));
    let onset = at;
    for (let n = first; n <= last; n++) {
      if (this.loudRun(n, 1, noise + rise)) {
        onset = n;
        break;
      }
    }
    const limit = Math.max(this.oldest(), onset - this.blocks(ONSET_EXTEND_MS));
    while (onset > limit && this.level(onset - 1) >= noise + EXTEND_DB) onset--;
    this.onsetBlock = onset;
    return this.timeOf(onset);
  }

  /**
   * The refined time of a speech end Silero placed at `endMs` (the end of its last speech
   * window); called when the silence that confirms it has been heard.
   */
  refineEnd(endMs: number): number {
    const at = Math.min(this.count - 1, this.blockAt(endMs) - 1);
    if (at < this.oldest()) return endMs;
    const tail: number[] = [];
    for (let n = at; n >= this.onsetBlock && n >= this.oldest() && tail.length < this.blocks(300); n--) {
      if (this.probabilities[n % HISTORY_BLOCKS] >= this.options.threshold) tail.push(this.level(n));
    }
    const noise = this.noiseFloor(this.count - 1);
    const speech = tail.length > 0 ? median(tail) : noise;
    const rise = Math.max(MIN_RISE_DB, RISE_FRACTION * (speech - noise));
    const first = Math.max(this.onsetBlock, this.oldest() + RUN_BLOCKS - 1, at - this.blocks(END_BACK_MS));
    let end = at;
    for (let n = at; n >= first; n--) {
      if (this.loudRun(n, -1, noise + rise)) {
        end = n;
        break;
      }
    }
    const limit = Math.min(this.count - 1, end + this.blocks(END_EXTEND_MS));
    while (end < limit && this.level(end + 1) >= noise + EXTEND_DB) end++;
    return Math.max(this.timeOf(end + 1), this.timeOf(this.onsetBlock + 1));
  }

  private blocks(ms: number): number {
    return Math.round(ms / this.blockMs);
  }

  private blockAt(ms: number): number {
    return Math.round((ms - this.originMs) / this.blockMs);
  }

  private timeOf(block: number): number {
    return this.originMs + block * this.blockMs;
  }

  private oldest(): number {
    return Math.max(0, this.count - HISTORY_BLOCKS);
  }

  private level(block: number): number {
    return this.levels[block % HISTORY_BLOCKS];
  }

  /** Whether `RUN_BLOCKS` blocks from `block` in `direction` all reach `levelDb`. */
  private loudRun(block: number, direction: 1 | -1, levelDb: number): boolean {
    for (let r = 0; r < RUN_BLOCKS; r++) {
      const n = block + direction * r;
      if (n < this.oldest() || n >= this.count || this.level(n) < levelDb) return false;
    }
    return true;
  }

  /** Mean level of the latest background blocks up to `block`; the quietest block if none is known yet. */
  private noiseFloor(block: number): number {
    let sum = 0;
    let found = 0;
    let quietest = Number.POSITIVE_INFINITY;
    for (let n = Math.min(block, this.count - 1); n >= this.oldest() && found < NOISE_BLOCKS; n--) {
      const level = this.level(n);
      quietest = Math.min(quietest, level);
      if (this.probabilities[n % HISTORY_BLOCKS] < NOISE_PROBABILITY) {
        sum += level;
        found++;
      }
    }
    if (found > 0) return sum / found;
    return Number.isFinite(quietest) ? quietest : SILENCE_DB;
  }
}
