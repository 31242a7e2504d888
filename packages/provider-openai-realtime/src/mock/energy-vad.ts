import { rmsDb } from '@beluga-voice/core/audio';

export interface VadSettings {
  /** 0..1, as the service's `threshold`; mapped to an energy level of -60 + 40·threshold dBFS. */
  readonly threshold: number;
  readonly prefixPaddingMs: number;
  readonly silenceDurationMs: number;
}

export type VadEvent =
  | { readonly type: 'start'; readonly audioStartMs: number }
  | { readonly type: 'stop'; readonly audioEndMs: number };

const WINDOW_MS = 10;
/** Speech must last this long to start a turn (clicks do not). */
const MIN_SPEECH_MS = 30;

/**
 * The mock's server VAD: energy in 10 ms windows over all audio appended in the session, so
 * `audio_start_ms` / `audio_end_ms` come from the bytes the client sent, as the service's do.
 */
export class EnergyVad {
  private windowSamples: number;
  private carry = new Int16Array(0);
  private position = 0;
  private speaking = false;
  private speechRunMs = 0;
  private silenceRunMs = 0;

  constructor(
    private settings: VadSettings,
    sampleRate: number,
  ) {
    this.windowSamples = Math.round((sampleRate * WINDOW_MS) / 1000);
  }

  /** New settings, and the sample rate of the input format (which `session.update` may change). */
  configure(settings: VadSettings, sampleRate: number): void {
    this.settings = settings;
    const windowSamples = Math.round((sampleRate * WINDOW_MS) / 1000);
    if (windowSamples !== this.windowSamples) {
      this.windowSamples = windowSamples;
      this.carry = new Int16Array(0);
    }
  }

  /** Milliseconds of audio appended in the session so far. */
  get positionMs(): number {
    return this.position;
  }

  /** Forgets the current turn (after `input_audio_buffer.clear`); time keeps counting. */
  reset(): void {
    this.speaking = false;
    this.speechRunMs = 0;
    this.silenceRunMs = 0;
  }

  push(samples: Int16Array): VadEvent[] {
    const all = new Int16Array(this.carry.length + samples.length);
    all.set(this.carry);
    all.set(samples, this.carry.length);
    const events: VadEvent[] = [];
    const levelDb = -60 + 40 * this.settings.threshold;
    let offset = 0;
    for (; offset + this.windowSamples <= all.length; offset += this.windowSamples) {
      const speech = rmsDb(all, offset, offset + this.windowSamples) > levelDb;
      this.position += WINDOW_MS;
      if (!this.speaking) {
        this.speechRunMs = speech ? this.speechRunMs + WINDOW_MS : 0;
        if (this.speechRunMs >= MIN_SPEECH_MS) {
          this.speaking = true;
          this.silenceRunMs = 0;
          const start = this.position - this.speechRunMs;
          events.push({ type: 'start', audioStartMs: Math.max(0, start - this.settings.prefixPaddingMs) });
        }
      } else {
        this.silenceRunMs = speech ? 0 : this.silenceRunMs + WINDOW_MS;
        if (this.silenceRunMs >= this.settings.silenceDurationMs) {
          this.speaking = false;
          this.speechRunMs = 0;
          events.push({ type: 'stop', audioEndMs: this.position });
        }
      }
    }
    this.carry = all.slice(offset);
    return events;
  }
}
