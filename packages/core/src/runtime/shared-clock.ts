import { type SchedulerAction, type SchedulerLike, Subscription } from 'rxjs';

/** Timer callbacks run per turn of the event loop before sockets get a look in. */
const SLICE = 16;

/** What the clock's heap holds. */
interface Queued {
  due: number;
  seq: number;
  /** Position in the clock's heap; -1 while not queued. */
  index: number;
  readonly closed: boolean;
  run(): void;
}

/** One scheduled piece of work; re-armed by `schedule` (rxjs's recursive scheduling). */
class ClockAction<T> extends Subscription implements SchedulerAction<T>, Queued {
  due = 0;
  seq = 0;
  index = -1;
  private state: T | undefined;

  constructor(
    private readonly clock: SharedClock,
    private readonly work: (this: SchedulerAction<T>, state?: T) => void,
  ) {
    super();
  }

  schedule(state?: T, delay = 0): Subscription {
    if (this.closed) return this;
    this.state = state;
    this.clock.enqueue(this, delay);
    return this;
  }

  run(): void {
    this.work.call(this, this.state);
  }

  override unsubscribe(): void {
    if (this.closed) return;
    this.clock.remove(this);
    super.unsubscribe();
  }
}

/**
 * A scheduler whose every timer in the process shares one Node timer: work is kept in a heap by
 * due time and run in batches, everything due by the time the timer wakes together (never before
 * its due time: a watchdog of 800 ms must not fire at 799.9). Hundreds of
 * sessions' file sources and pacers (50 timers a second each) then cost one wake-up per batch
 * instead of one interval each. Reads a sub-millisecond epoch clock, as latency metrics need.
 */
export class SharedClock implements SchedulerLike {
  private readonly heap: Queued[] = [];
  private timer: NodeJS.Timeout | undefined;
  private timerDue = Number.POSITIVE_INFINITY;
  private seq = 0;
  private firing = false;
  private lateness = 0;

  now(): number {
    return performance.timeOrigin + performance.now();
  }

  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
    return new ClockAction<T>(this, work).schedule(state, delay);
  }

  /**
   * How late (ms) the latest batch ran after its due time: the event loop's lag as timers and
   * socket reads alike see it. A reply read while the loop lags waited about this long unseen.
   */
  get lagMs(): number {
    return this.lateness;
  }

  /** How many pieces of work are waiting. */
  get pending(): number {
    return this.heap.length;
  }

  /** @internal Queues (or re-queues) an action `delay` ms from now. */
  enqueue(action: Queued, delay: number): void {
    if (action.index >= 0) this.removeAt(action.index);
    action.due = performance.now() + Math.max(0, delay);
    action.seq = this.seq++;
    action.index = this.heap.length;
    this.heap.push(action);
    this.siftUp(action.index);
    this.arm();
  }

  /** @internal */
  remove(action: Queued): void {
    if (action.index >= 0) this.removeAt(action.index);
    if (this.heap.length === 0) this.disarm();
  }

  private arm(): void {
    if (this.firing) return;
    const head = this.heap[0];
    if (!head) {
      this.disarm();
      return;
    }
    if (this.timer && this.timerDue <= head.due) return;
    this.disarm();
    this.timerDue = head.due;
    // Node's timers count whole ms: round up, so the wake-up finds its work due.
    this.timer = setTimeout(() => this.fire(), Math.max(0, Math.ceil(head.due - performance.now())));
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDue = Number.POSITIVE_INFINITY;
  }

  private fire(): void {
    this.timer = undefined;
    this.timerDue = Number.POSITIVE_INFINITY;
    // Work queued while the batch runs waits for the next batch, so a delay-0 loop cannot starve I/O.
    const now = performance.now();
    const head = this.heap[0];
    if (head) this.lateness = Math.max(0, now - head.due);
    const batch: Queued[] = [];
    while (this.heap.length > 0 && (this.heap[0] as Queued).due <= now) {
      batch.push(this.removeAt(0));
    }
    this.runSlices(batch, 0);
  }

  /**
   * Runs the batch a slice at a time: each slice's work (and the promise continuations it sets
   * off, which run when the slice returns) is followed by a turn of the event loop, so sockets
   * are read between slices as they were between separate timers.
   */
  private runSlices(batch: readonly Queued[], from: number): void {
    const end = Math.min(batch.length, from + SLICE);
    this.firing = true;
    let failure: { error: unknown } | undefined;
    try {
      for (let i = from; i < end; i++) {
        const action = batch[i] as Queued;
        // Cancelled (or re-armed) by earlier work.
        if (action.closed || action.index >= 0) continue;
        try {
          action.run();
        } catch (error) {
          // One failing action must not stop the others' (other sessions') timers.
          failure ??= { error };
        }
      }
    } finally {
      this.firing = false;
      if (end < batch.length) {
        setImmediate(() => this.runSlices(batch, end));
      }
      this.arm();
    }
    // As rxjs's own schedulers do: an error escaping scheduled work is thrown from the timer.
    if (failure) throw failure.error;
  }

  private removeAt(index: number): Queued {
    const heap = this.heap;
    const action = heap[index] as Queued;
    const last = heap.pop() as Queued;
    action.index = -1;
    if (last !== action) {
      heap[index] = last;
      last.index = index;
      this.siftUp(index);
      this.siftDown(last.index);
    }
    return action;
  }

  private before(a: Queued, b: Queued): boolean {
    return a.due < b.due || (a.due === b.due && a.seq < b.seq);
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    const action = heap[index] as Queued;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex] as Queued;
      if (!this.before(action, parent)) break;
      heap[index] = parent;
      parent.index = index;
      index = parentIndex;
    }
    heap[index] = action;
    action.index = index;
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    const action = heap[index] as Queued;
    const n = heap.length;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && this.before(heap[right] as Queued, heap[left] as Queued) ? right : left;
      const childAction = heap[child] as Queued;
      if (!this.before(childAction, action)) break;
      heap[index] = childAction;
      childAction.index = index;
      index = child;
    }
    heap[index] = action;
    action.index = index;
  }
}
