import { type SchedulerLike, type Subscription, timer } from 'rxjs';

/**
 * Reports a response that makes no progress for `timeoutMs`: from its request to
 * `response.created`, then between its own events. Only progress of the guarded response resets
 * the countdown; other server traffic (speech detection, transcription, rate limits) does not.
 * One timer at a time: progress only moves a mark, and the timer re-arms for the remainder.
 */
export class ResponseWatchdog {
  private timer: Subscription | undefined;
  private lastProgressAt = 0;

  constructor(
    private readonly scheduler: SchedulerLike,
    private readonly timeoutMs: number,
    private readonly onStall: () => void,
  ) {}

  /** The request went out, or the guarded response moved: the countdown starts again. */
  progress(): void {
    this.lastProgressAt = this.scheduler.now();
    if (!this.timer) this.arm(this.timeoutMs);
  }

  /** Nothing is requested or active any more. */
  stop(): void {
    this.timer?.unsubscribe();
    this.timer = undefined;
  }

  private arm(ms: number): void {
    this.timer = timer(ms, this.scheduler).subscribe(() => {
      this.timer = undefined;
      const silentFor = this.scheduler.now() - this.lastProgressAt;
      if (silentFor < this.timeoutMs) this.arm(this.timeoutMs - silentFor);
      else this.onStall();
    });
  }
}
