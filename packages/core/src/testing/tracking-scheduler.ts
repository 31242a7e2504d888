import { asyncScheduler, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';

/**
 * Wraps a scheduler and counts the actions scheduled on it that have neither run nor been
 * cancelled: a provider that used it has left no timer behind when `pending` is 0.
 */
export class TrackingScheduler implements SchedulerLike {
  private active = 0;

  constructor(private readonly inner: SchedulerLike = asyncScheduler) {}

  get pending(): number {
    return this.active;
  }

  now(): number {
    return this.inner.now();
  }

  schedule<T>(work: (this: SchedulerAction<T>, state: T) => void, delay?: number, state?: T): Subscription {
    const tracker = this;
    let armed = true;
    this.active++;
    const settle = () => {
      if (!armed) return;
      armed = false;
      tracker.active--;
    };
    const subscription = this.inner.schedule(
      function (this: SchedulerAction<T>, s?: T) {
        settle();
        // A periodic action reschedules itself through `this`: count it again.
        const counted = Object.create(this) as SchedulerAction<T>;
        counted.schedule = (next?: T, nextDelay?: number) => {
          if (!armed && !this.closed) {
            armed = true;
            tracker.active++;
          }
          return this.schedule(next, nextDelay);
        };
        work.call(counted, s as T);
      },
      delay,
      state,
    );
    subscription.add(settle);
    return subscription;
  }
}
