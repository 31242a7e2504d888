import type { Span } from '@opentelemetry/api';

/**
 * One model turn as this provider reports it: a response with an id of our own (Gemini has none),
 * its audio length, and its transcript so far.
 */
export class ModelTurn {
  /** When the answer was asked for (or the turn began): time to first audio counts from here. */
  readonly startedAt: number;
  firstAudio = false;
  receivedMs = 0;
  transcript = '';
  /** Set by a local `interrupt()`: the rest of this generation is dropped until the server ends it. */
  dropping = false;
  /** The response was reported done (locally interrupted, or a tool call closed it). */
  reported = false;

  constructor(
    readonly id: string,
    readonly span: Span,
    now: number,
  ) {
    this.startedAt = now;
  }
}

/** User speech transcribed so far in the current user turn; final once the model answers. */
export class UserTranscript {
  private text = '';

  add(delta: string): void {
    this.text += delta;
  }

  /** The whole turn's text, once; empty when nothing was transcribed. */
  take(): string {
    const text = this.text.trim();
    this.text = '';
    return text;
  }
}
