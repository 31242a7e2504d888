import type { Json } from './items.js';

/** A client event as the mock received it, for tests to inspect. */
export interface ReceivedEvent {
  /** 1-based connection number on this server. */
  readonly connection: number;
  /** Milliseconds since the server started. */
  readonly at: number;
  /** The event; an append's base64 `audio` is dropped unless the server keeps audio (see `audioBytes`). */
  readonly event: Json;
  /** For `input_audio_buffer.append`: how many bytes of audio it carried. */
  readonly audioBytes?: number;
}

/** Events kept by default: a long-running mock must not grow without bound. */
export const DEFAULT_KEPT_EVENTS = 10_000;

/**
 * The client events a mock server received, in order, bounded: past `limit` the oldest half is
 * forgotten. Without `keepAudio`, audio payloads are dropped on arrival (their size is kept):
 * they are most of the bytes, and a long-running mock (`beluga mock-openai`) needs none of them.
 */
export class ReceivedLog {
  readonly events: ReceivedEvent[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly limit = DEFAULT_KEPT_EVENTS,
    private readonly keepAudio = true,
    private readonly started = Date.now(),
  ) {}

  add(connection: number, event: Json): void {
    const at = Date.now() - this.started;
    if (event.type === 'input_audio_buffer.append' && typeof event.audio === 'string') {
      const { audio, ...rest } = event;
      const padding = audio.endsWith('==') ? 2 : audio.endsWith('=') ? 1 : 0;
      const audioBytes = Math.floor(audio.length / 4) * 3 - padding;
      this.events.push({ connection, at, event: this.keepAudio ? event : rest, audioBytes });
    } else this.events.push({ connection, at, event });
    if (this.events.length > this.limit) this.events.splice(0, this.events.length - Math.floor(this.limit / 2));
    if (this.listeners.size > 0) for (const listener of [...this.listeners]) listener();
  }

  /** Calls `listener` after every event until it is removed. */
  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
