import { type SchedulerLike, timer } from 'rxjs';

/**
 * Waits on a scheduler (so virtual time drives them) that can all be cut short at once: a
 * session's backoff delays end with the session, and no timer outlives it.
 */
export class ScheduledDelays {
  private readonly pending = new Set<() => void>();

  constructor(private readonly scheduler: SchedulerLike) {}

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wait = timer(ms, this.scheduler).subscribe(() => {
        this.pending.delete(cancel);
        resolve();
      });
      const cancel = () => {
        wait.unsubscribe();
        resolve();
      };
      this.pending.add(cancel);
    });
  }

  /** Resolves every pending wait now and releases its timer. */
  cancelAll(): void {
    for (const cancel of this.pending) cancel();
    this.pending.clear();
  }
}
