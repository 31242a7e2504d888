import { type AudioFrame, audioDurationMs } from '@beluga-voice/core';
import type { SchedulerLike, Subscription } from 'rxjs';

export type PaceOverflow = 'drop-oldest' | 'block';

export interface PacerOptions {
  readonly bufferMs: number;
  readonly scheduler: SchedulerLike;
  emit(frame: AudioFrame): void;
  /** Input ended and everything buffered has played. */
  complete(): void;
  /** Ms of `responseId` played so far; `final` once it ended or was flushed. */
  playout(responseId: string, playedMs: number, final: boolean): void;
  /** Frames dropped to keep the buffer within `bufferMs`. */
  dropped(frames: number, ms: number): void;
}

/** Lateness beyond which the player treats the gap as an underrun and restarts its clock. */
const UNDERRUN_MS = 40;

/** How many interrupted response ids to remember, to drop their late frames. */
const CANCELLED_MEMORY = 32;

/**
 * Plays frames out at the scheduler's pace: a frame is emitted when the previous one has had its
 * duration, so downstream receives audio as a sound card would consume it. Holds at most
 * `bufferMs` of audio, flushes at once on an interrupt, and counts what each response has played.
 */
export class Pacer {
  private readonly queue: AudioFrame[] = [];
  private queuedMs = 0;
  private timer: Subscription | undefined;
  /** Scheduler time at which the last emitted frame has finished playing. */
  private nextDue = Number.NEGATIVE_INFINITY;
  private paused = false;
  private ended = false;
  private done = false;
  private discontNext = false;
  private current: { id: string; playedMs: number } | undefined;
  private readonly cancelled: string[] = [];
  /** Responses whose end is known (`response-done`). */
  private readonly completedResponses: string[] = [];
  private roomWaiters: Array<() => void> = [];

  constructor(private readonly options: PacerOptions) {}

  /** Buffers a frame; over `bufferMs`, the oldest frames are dropped. */
  push(frame: AudioFrame): void {
    if (this.done) return;
    if (frame.responseId !== undefined && this.cancelled.includes(frame.responseId)) return;
    this.queue.push(frame);
    this.queuedMs += audioDurationMs(frame);
    let droppedFrames = 0;
    let droppedMs = 0;
    while (this.queuedMs > this.options.bufferMs && this.queue.length > 1) {
      const old = this.queue.shift() as AudioFrame;
      const ms = audioDurationMs(old);
      this.queuedMs -= ms;
      droppedFrames++;
      droppedMs += ms;
    }
    if (droppedFrames > 0) {
      this.discontNext = true;
      this.options.dropped(droppedFrames, droppedMs);
    }
    // An idle player plays the frame now: a scheduler hop here would add latency to every reply.
    if (!this.timer && !this.paused && this.queue.length === 1 && this.nextDue <= this.options.scheduler.now()) {
      this.tick();
      return;
    }
    this.wake();
  }

  /** Resolves once `frame` fits in the buffer (the `block` overflow: the link queue holds the rest). */
  room(frame: AudioFrame): Promise<void> {
    const fits = () =>
      this.done || this.queue.length === 0 || this.queuedMs + audioDurationMs(frame) <= this.options.bufferMs;
    if (fits()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (fits()) resolve();
        else this.roomWaiters.push(check);
      };
      this.roomWaiters.push(check);
    });
  }

  /** Drops everything buffered (and later frames of the interrupted responses); reports what was played. */
  interrupt(responseId?: string): void {
    const ids = new Set<string>();
    if (responseId !== undefined) ids.add(responseId);
    else {
      if (this.current) ids.add(this.current.id);
      for (const f of this.queue) if (f.responseId !== undefined) ids.add(f.responseId);
    }
    for (const id of ids) this.cancelled.push(id);
    this.cancelled.splice(0, Math.max(0, this.cancelled.length - CANCELLED_MEMORY));
    this.queue.length = 0;
    this.queuedMs = 0;
    this.discontNext = true;
    this.finishResponse();
    this.timer?.unsubscribe();
    this.timer = undefined;
    this.nextDue = Number.NEGATIVE_INFINITY;
    this.releaseRoom();
    if (this.ended) this.finish();
  }

  /** The response has sent all its audio: its final position is reported once that audio has played. */
  responseDone(responseId: string): void {
    this.completedResponses.push(responseId);
    this.completedResponses.splice(0, Math.max(0, this.completedResponses.length - CANCELLED_MEMORY));
    if (this.current?.id === responseId && !this.queue.some((f) => f.responseId === responseId)) this.finishResponse();
  }

  pause(): void {
    this.paused = true;
    this.timer?.unsubscribe();
    this.timer = undefined;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    // Playback restarts from now: the time spent paused is not owed to the schedule.
    this.nextDue = this.options.scheduler.now();
    this.wake();
  }

  /** Input ended: complete once the buffer has played out. */
  end(): void {
    this.ended = true;
    this.wake();
  }

  dispose(): void {
    this.done = true;
    this.timer?.unsubscribe();
    this.timer = undefined;
    this.releaseRoom();
  }

  private wake(): void {
    if (this.timer || this.paused || this.done) return;
    if (this.queue.length === 0 && !this.ended) return;
    const delay = Math.max(0, this.nextDue - this.options.scheduler.now());
    this.timer = this.options.scheduler.schedule(() => this.tick(), delay);
  }

  private tick(): void {
    this.timer = undefined;
    const frame = this.queue.shift();
    if (!frame) {
      if (this.ended) this.finish();
      return;
    }
    const ms = audioDurationMs(frame);
    this.queuedMs -= ms;
    const now = this.options.scheduler.now();
    // Keep the schedule: a timer that fired late must not push every later frame back (drift).
    // Only after an underrun (nothing to play for a while) does the schedule restart from now.
    this.nextDue = (this.nextDue >= now - UNDERRUN_MS ? this.nextDue : now) + ms;
    const out = this.discontNext ? { ...frame, discont: true } : frame;
    this.discontNext = false;
    this.options.emit(out);
    this.count(frame.responseId, ms);
    this.releaseRoom();
    this.wake();
  }

  private count(responseId: string | undefined, ms: number): void {
    if (responseId === undefined) return;
    if (this.current && this.current.id !== responseId) this.finishResponse();
    this.current ??= { id: responseId, playedMs: 0 };
    this.current.playedMs += ms;
    this.options.playout(responseId, this.current.playedMs, false);
    if (this.completedResponses.includes(responseId) && !this.queue.some((f) => f.responseId === responseId))
      this.finishResponse();
  }

  private finishResponse(): void {
    if (!this.current) return;
    this.options.playout(this.current.id, this.current.playedMs, true);
    this.current = undefined;
  }

  private finish(): void {
    if (this.done) return;
    this.finishResponse();
    this.dispose();
    this.options.complete();
  }

  private releaseRoom(): void {
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const check of waiters) check();
  }
}
