/** What a VAD decided about one analysis window. */
export interface WindowDecision {
  /** Loud or likely enough to start speech (the upper hysteresis threshold). */
  readonly start: boolean;
  /** Still speech once started (the lower threshold). */
  readonly keep: boolean;
}

export interface SegmenterOptions {
  /** Speech shorter than this is ignored (clicks, coughs). */
  readonly minSpeechMs: number;
  /** Speech ends only after this much silence (the hangover). */
  readonly minSilenceMs: number;
}

export interface SpeechEvent {
  readonly kind: 'speech-start' | 'speech-stop';
  /**
   * `speech-start`: start of the first window of the speech run. `speech-stop`: end of the
   * last speech window, i.e. the true end of speech, not the moment the hangover ran out.
   */
  readonly timestamp: number;
}

type State = 'silence' | 'pending' | 'speech';

/**
 * Turns per-window decisions into speech segments: hysteresis (start above the upper threshold,
 * continue above the lower one), a minimum speech duration before `speech-start` and a minimum
 * silence duration before `speech-stop`.
 */
export class SpeechSegmenter {
  private state: State = 'silence';
  private onset = 0;
  private lastSpeechEnd = 0;

  constructor(private readonly options: SegmenterOptions) {}

  get speaking(): boolean {
    return this.state === 'speech';
  }

  /** Feeds the window `[startMs, endMs)`; returns the event it completes, if any. */
  push(decision: WindowDecision, startMs: number, endMs: number): SpeechEvent | undefined {
    switch (this.state) {
      case 'silence':
        if (!decision.start) return undefined;
        this.state = 'pending';
        this.onset = startMs;
        this.lastSpeechEnd = endMs;
        return this.confirm(endMs);
      case 'pending':
        if (!decision.keep) {
          this.state = 'silence';
          return undefined;
        }
        this.lastSpeechEnd = endMs;
        return this.confirm(endMs);
      case 'speech':
        if (decision.keep) {
          this.lastSpeechEnd = endMs;
          return undefined;
        }
        if (endMs - this.lastSpeechEnd < this.options.minSilenceMs) return undefined;
        this.state = 'silence';
        return { kind: 'speech-stop', timestamp: this.lastSpeechEnd };
    }
  }

  /** Ends the stream (or a segment of it): closes open speech at its last speech window. */
  end(): SpeechEvent | undefined {
    const open = this.state === 'speech';
    this.state = 'silence';
    return open ? { kind: 'speech-stop', timestamp: this.lastSpeechEnd } : undefined;
  }

  private confirm(endMs: number): SpeechEvent | undefined {
    if (endMs - this.onset < this.options.minSpeechMs) return undefined;
    this.state = 'speech';
    return { kind: 'speech-start', timestamp: this.onset };
  }
}
