import { audioDurationMs, type Frame } from '../frames.js';
import type { ResolvedLink } from '../graph/resolved.js';
import type { QueueLimits } from './queue-settings.js';

export type QueueOverflowHandler = (queue: LinkQueue, dropped: Frame | undefined) => void;

/**
 * The bounded queue on one link. Frames wait here only while the consumer is busy or paused:
 * an idle consumer takes them synchronously (see InputPort). Audio is what the policies drop
 * and what `flushAudio` removes; other frames (speech events, tool calls) are kept.
 */
export class LinkQueue {
  readonly id: string;
  readonly limits: QueueLimits;
  readonly feedback: boolean;
  /** The producer stops while this queue is full (`block`); otherwise `block` holds its bound by dropping. */
  readonly producerPauses: boolean;
  private readonly accepts: ReadonlySet<string>;
  private items: Frame[] = [];
  private head = 0;
  private ms = 0;
  private producerDone = false;
  /** Counters the runtime reports as metrics: frames (and ms of audio) lost to the policy, and flushed by interrupts. */
  drops = 0;
  droppedMs = 0;
  flushed = 0;
  /** Deepest the queue has been since it was created, and since the last metrics report. */
  maxDepth = 0;
  windowMaxDepth = 0;
  /** Set by the input port this queue feeds. */
  onItem: () => void = () => {};
  /** Called when fullness changes, for the `block` policy's demand signal. */
  onFullChange: (full: boolean) => void = () => {};
  onOverflow: QueueOverflowHandler = () => {};
  private wasFull = false;

  constructor(link: ResolvedLink) {
    this.id = link.id;
    this.limits = link.queue;
    this.feedback = link.feedback;
    this.producerPauses = link.producerPauses ?? false;
    this.accepts = new Set(link.kinds);
  }

  carries(frame: Frame): boolean {
    return this.accepts.has(frame.kind);
  }

  get size(): number {
    return this.items.length - this.head;
  }

  get bufferedMs(): number {
    return this.ms;
  }

  get done(): boolean {
    return this.producerDone && this.size === 0;
  }

  get completedByProducer(): boolean {
    return this.producerDone;
  }

  isFull(): boolean {
    return this.holds(1);
  }

  /**
   * True when a `block` queue must drop to stay bounded: at its limit when the producer cannot
   * pause, at twice its limit when it can (room for the frames a pass-through node emits from
   * the input it was already handling when demand stopped).
   */
  overrun(): boolean {
    return this.holds(this.producerPauses ? 2 : 1);
  }

  private holds(times: number): boolean {
    const { maxFrames, maxMs } = this.limits;
    return this.size >= maxFrames * times || (maxMs !== undefined && this.ms >= maxMs * times);
  }

  /** Adds a frame, applying the overflow policy when full. */
  enqueue(frame: Frame): void {
    if (this.isFull()) {
      switch (this.limits.overflow) {
        case 'drop-newest':
          this.countDrop(frame);
          this.onOverflow(this, frame);
          return;
        case 'drop-oldest': {
          const dropped = this.dropOldest();
          this.countDrop(dropped);
          this.onOverflow(this, dropped);
          break;
        }
        case 'error':
          this.onOverflow(this, undefined);
          return;
        case 'block':
          // Lossless while the producer pauses; a bound that holds, loudly, when it does not.
          if (this.overrun()) {
            const dropped = this.dropOldest();
            this.countDrop(dropped);
            this.onOverflow(this, dropped);
          }
          break;
      }
    }
    this.items.push(frame);
    if (frame.kind === 'audio') this.ms += audioDurationMs(frame);
    if (this.size > this.maxDepth) this.maxDepth = this.size;
    if (this.size > this.windowMaxDepth) this.windowMaxDepth = this.size;
    this.updateFull();
    this.onItem();
  }

  peek(): Frame | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  shift(): Frame | undefined {
    if (this.head >= this.items.length) return undefined;
    const frame = this.items[this.head];
    this.items[this.head] = undefined as unknown as Frame;
    this.head++;
    if (this.head > 64 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    if (frame.kind === 'audio') this.ms -= audioDurationMs(frame);
    if (this.size === 0) this.ms = 0;
    this.updateFull();
    return frame;
  }

  /** Drops every queued audio frame (barge-in); returns how many. */
  flushAudio(): number {
    const kept = this.items.slice(this.head).filter((f) => f.kind !== 'audio');
    const removed = this.size - kept.length;
    this.items = kept;
    this.head = 0;
    this.ms = 0;
    this.flushed += removed;
    this.updateFull();
    return removed;
  }

  completeProducer(): void {
    this.producerDone = true;
    this.onItem();
  }

  private countDrop(frame: Frame | undefined): void {
    this.drops++;
    if (frame?.kind === 'audio') this.droppedMs += audioDurationMs(frame);
  }

  private dropOldest(): Frame | undefined {
    for (let i = this.head; i < this.items.length; i++) {
      if (this.items[i].kind === 'audio') {
        const [dropped] = this.items.splice(i, 1);
        this.ms -= audioDurationMs(dropped as Frame & { kind: 'audio' });
        return dropped;
      }
    }
    return this.shift();
  }

  private updateFull(): void {
    // Holding back a producer that cannot pause would only move the loss to the link before it.
    if (this.limits.overflow !== 'block' || !this.producerPauses) return;
    const full = this.isFull();
    if (full !== this.wasFull) {
      this.wasFull = full;
      this.onFullChange(full);
    }
  }
}
