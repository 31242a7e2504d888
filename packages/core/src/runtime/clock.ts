import type { SchedulerLike } from 'rxjs';
import { SharedClock } from './shared-clock.js';

/**
 * The default scheduler of every pipeline: one clock per process, so all sessions' timers share
 * one Node timer (see SharedClock), and a sub-millisecond epoch clock (rxjs's default reads
 * `Date.now()`, whole milliseconds; latency metrics need better).
 */
export const highResolutionScheduler: SchedulerLike = new SharedClock();

/** The event loop's current lag as the scheduler's clock sees it, when it is a SharedClock. */
export function loopLagMs(scheduler: SchedulerLike | undefined): number | undefined {
  return scheduler instanceof SharedClock ? scheduler.lagMs : undefined;
}
