import { rmsDb } from '../audio/level.js';

/** Settings of the stubs' own turn detector: an RMS threshold with a hangover. */
export interface EnergyTurnOptions {
  /** Level above which a 20 ms window counts as voiced, in dBFS. */
  readonly thresholdDb: number;
  /** Voiced time needed before speech starts (filters clicks). */
  readonly minSpeechMs: number;
  /** Unvoiced time after which speech stops (bridges pauses between words). */
  readonly hangoverMs: number;
}

export type TurnEvent =
  /** `atMs`: media time of the first voiced window. */
  | { readonly type: 'start'; readonly atMs: number }
  /** `startMs`..`endMs`: from the first to the end of the last voiced window. */
  | { readonly type: 'stop'; readonly startMs: number; readonly endMs: number };

const WINDOW_MS = 20;

/**
 * Finds user turns in mono pcm16 by energy. Works on media time (frame timestamps and sample
 * counts), so the same audio always gives the same turns however it is chunked.
 */
export class EnergyTurnDetector {
  private window: Int16Array;
  private filled = 0;
  private windowStartMs = 0;
  private speaking = false;
  private voicedMs = 0;
  private runStartMs = 0;
  private silentMs = 0;
  private speechStartMs = 0;
  private lastVoicedEndMs = 0;

  constructor(
    private readonly options: EnergyTurnOptions,
    private readonly sampleRate: number,
  ) {
    this.window = new Int16Array(Math.round((sampleRate * WINDOW_MS) / 1000));
  }

  /** Feeds `samples` starting at media time `timestampMs`; returns the turn events they complete. */
  push(samples: Int16Array, timestampMs: number): TurnEvent[] {
    const out: TurnEvent[] = [];
    let i = 0;
    while (i < samples.length) {
      if (this.filled === 0) this.windowStartMs = timestampMs + (i / this.sampleRate) * 1000;
      const take = Math.min(this.window.length - this.filled, samples.length - i);
      this.window.set(samples.subarray(i, i + take), this.filled);
      this.filled += take;
      i += take;
      if (this.filled === this.window.length) {
        this.filled = 0;
        const event = this.step(rmsDb(this.window) >= this.options.thresholdDb, this.windowStartMs);
        if (event) out.push(event);
      }
    }
    return out;
  }

  reset(): void {
    this.filled = 0;
    this.speaking = false;
    this.voicedMs = 0;
    this.silentMs = 0;
  }

  private step(voiced: boolean, startMs: number): TurnEvent | undefined {
    const endMs = startMs + WINDOW_MS;
    if (voiced) {
      if (this.voicedMs === 0) this.runStartMs = startMs;
      this.voicedMs += WINDOW_MS;
      this.silentMs = 0;
      this.lastVoicedEndMs = endMs;
      if (!this.speaking && this.voicedMs >= this.options.minSpeechMs) {
        this.speaking = true;
        this.speechStartMs = this.runStartMs;
        return { type: 'start', atMs: this.speechStartMs };
      }
      return undefined;
    }
    this.voicedMs = 0;
    if (!this.speaking) return undefined;
    this.silentMs += WINDOW_MS;
    if (this.silentMs < this.options.hangoverMs) return undefined;
    this.speaking = false;
    this.silentMs = 0;
    return { type: 'stop', startMs: this.speechStartMs, endMs: this.lastVoicedEndMs };
  }
}
