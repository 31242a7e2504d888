import { asyncScheduler, type SchedulerLike } from 'rxjs';

/**
 * rxjs's default scheduler reads `Date.now()` (whole milliseconds); latency metrics need better.
 * This one schedules like `asyncScheduler` and reads a sub-millisecond epoch clock.
 */
export const highResolutionScheduler: SchedulerLike = {
  now: () => performance.timeOrigin + performance.now(),
  schedule: asyncScheduler.schedule.bind(asyncScheduler) as SchedulerLike['schedule'],
};
