import type { AudioFrame } from '../frames.js';
import { audioDurationMs } from '../frames.js';

/** What the client sent while no provider session was ready. */
export type BufferedInput =
  | { readonly kind: 'audio'; readonly frame: AudioFrame }
  | { readonly kind: 'text'; readonly text: string; readonly respond: boolean }
  | { readonly kind: 'speech-start' | 'speech-stop'; readonly atMs: number };

/**
 * Holds user input while no session can take it (a failover switch, a resumption). Audio is
 * bounded by `maxMs`: beyond it the oldest audio goes, and how much went is counted (never silently).
 */
export class HeldInputBuffer {
  private items: BufferedInput[] = [];
  private audioMs = 0;
  droppedMs = 0;

  constructor(private readonly maxMs: number) {}

  push(item: BufferedInput): void {
    this.items.push(item);
    if (item.kind !== 'audio') return;
    this.audioMs += audioDurationMs(item.frame);
    while (this.audioMs > this.maxMs) {
      const index = this.items.findIndex((i) => i.kind === 'audio');
      const [oldest] = this.items.splice(index, 1) as [Extract<BufferedInput, { kind: 'audio' }>];
      const ms = audioDurationMs(oldest.frame);
      this.audioMs -= ms;
      this.droppedMs += ms;
    }
  }

  stats(): { readonly bufferedMs: number; readonly droppedMs: number } {
    return { bufferedMs: this.audioMs, droppedMs: this.droppedMs };
  }

  /** Everything held, in order; the buffer is empty afterwards. */
  take(): { readonly items: readonly BufferedInput[]; readonly audioMs: number; readonly droppedMs: number } {
    const taken = { items: this.items, audioMs: this.audioMs, droppedMs: this.droppedMs };
    this.items = [];
    this.audioMs = 0;
    this.droppedMs = 0;
    return taken;
  }
}
