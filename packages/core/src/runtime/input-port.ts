import { isObservable, Observable, type SchedulerLike, type Subscriber } from 'rxjs';
import type { Frame } from '../frames.js';
import type { InputStream } from '../node.js';
import type { LinkQueue } from './link-queue.js';

interface Consumer {
  next(frame: Frame): void;
  complete(): void;
  /** Set for `process` consumers while their current frame is being handled. */
  busy: boolean;
}

/**
 * Synchronous deliveries nested on this thread's stack, across every pipeline's ports. Beyond
 * `MAX_SYNC_DEPTH` a frame waits for the scheduler instead: about 1.4 KB of stack per hop made a
 * chain of ~700 pass-through nodes overflow it, and no realistic pipeline nests 64 deep.
 */
let depth = 0;
const MAX_SYNC_DEPTH = 64;

/**
 * One input port of one node: the delivery point of the link queues that feed it. Delivery is
 * synchronous while every consumer is idle and the node has demand, so pass-through chains add
 * no scheduling; frames queue only behind a busy or paused consumer (or on feedback links, which
 * always deliver on the scheduler to break re-entrancy).
 */
export class InputPort {
  private readonly queues: LinkQueue[] = [];
  private readonly consumers = new Set<Consumer>();
  private pumping = false;
  private scheduled = false;
  private closed = false;
  readonly stream: InputStream;

  constructor(
    readonly nodeId: string,
    readonly port: string,
    private readonly scheduler: SchedulerLike,
    /** False while the node's own outputs are blocked (the `block` policy). */
    private readonly gate: () => boolean,
    private readonly onFinished: () => void,
  ) {
    this.stream = this.createStream();
  }

  get linked(): boolean {
    return this.queues.length > 0;
  }

  /** True once every feeding queue is complete and empty and no consumer is busy. */
  get finished(): boolean {
    return this.closed || (this.queues.every((q) => q.done) && !this.anyBusy());
  }

  attach(queue: LinkQueue): void {
    this.queues.push(queue);
    queue.onItem = () => (queue.feedback || depth >= MAX_SYNC_DEPTH ? this.schedulePump() : this.pump());
  }

  /** The producer side: the fast path hands the frame straight to idle consumers. */
  push(queue: LinkQueue, frame: Frame): void {
    if (this.closed) return;
    if (!queue.feedback && !this.pumping && queue.size === 0 && depth < MAX_SYNC_DEPTH && this.canDeliver()) {
      this.pumping = true;
      try {
        this.deliver(frame);
      } finally {
        this.pumping = false;
      }
      if (this.hasQueued()) this.pump();
      return;
    }
    queue.enqueue(frame);
  }

  pump(): void {
    if (this.pumping || this.closed) return;
    if (depth >= MAX_SYNC_DEPTH) {
      this.schedulePump();
      return;
    }
    this.pumping = true;
    try {
      while (this.canDeliver()) {
        const frame = this.takeNext();
        if (!frame) break;
        this.deliver(frame);
      }
    } finally {
      this.pumping = false;
    }
    this.checkFinished();
  }

  /** Stops delivering for good (node closed or dead): what arrives later is discarded. */
  close(): void {
    this.closed = true;
    for (const c of [...this.consumers]) c.complete();
    this.consumers.clear();
  }

  /** A restarted node subscribes again: allow delivery to new consumers. */
  reopen(): void {
    this.closed = false;
  }

  private schedulePump(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.scheduler.schedule(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private canDeliver(): boolean {
    return this.consumers.size > 0 && !this.anyBusy() && this.gate();
  }

  private anyBusy(): boolean {
    for (const c of this.consumers) if (c.busy) return true;
    return false;
  }

  private hasQueued(): boolean {
    for (const q of this.queues) if (q.size > 0) return true;
    return false;
  }

  /** Oldest frame across the feeding queues (by timestamp, then queue order). */
  private takeNext(): Frame | undefined {
    let best: LinkQueue | undefined;
    for (const q of this.queues) {
      const head = q.peek();
      if (head && (!best || head.timestamp < (best.peek() as Frame).timestamp)) best = q;
    }
    return best?.shift();
  }

  private deliver(frame: Frame): void {
    depth++;
    try {
      for (const c of this.consumers) c.next(frame);
    } finally {
      depth--;
    }
  }

  private checkFinished(): void {
    if (this.queues.length > 0 && this.finished && this.consumers.size > 0) {
      // Completion runs down the chain as frames do, so it counts towards the same depth.
      depth++;
      try {
        for (const c of [...this.consumers]) c.complete();
      } finally {
        depth--;
      }
      this.consumers.clear();
      this.onFinished();
    }
  }

  private addConsumer(consumer: Consumer): () => void {
    if (this.closed) {
      consumer.complete();
      return () => {};
    }
    this.consumers.add(consumer);
    if (this.queues.length === 0) {
      queueMicrotask(() => {
        if (this.consumers.delete(consumer)) consumer.complete();
      });
    } else {
      this.pump();
    }
    return () => {
      this.consumers.delete(consumer);
    };
  }

  private createStream(): InputStream {
    const stream = new Observable<Frame>((subscriber: Subscriber<Frame>) =>
      this.addConsumer({
        next: (f) => subscriber.next(f),
        complete: () => subscriber.complete(),
        busy: false,
      }),
    ) as Observable<Frame> & { linked: boolean; process: InputStream['process'] };
    Object.defineProperty(stream, 'linked', { get: () => this.linked });
    stream.process = <R>(fn: (frame: Frame) => R | Promise<R> | Observable<R>) =>
      new Observable<R>((subscriber) => {
        let pendingComplete = false;
        let active = true;
        let inner: { unsubscribe(): void } | undefined;
        const consumer: Consumer = {
          busy: false,
          next: (frame) => {
            consumer.busy = true;
            const settle = () => {
              consumer.busy = false;
              if (!active) return;
              if (pendingComplete) subscriber.complete();
              else this.pump();
            };
            const fail = (error: unknown) => {
              consumer.busy = false;
              subscriber.error(error);
            };
            let result: R | Promise<R> | Observable<R>;
            try {
              result = fn(frame);
            } catch (error) {
              fail(error);
              return;
            }
            if (isObservable(result)) {
              inner = result.subscribe({ next: (r) => subscriber.next(r), error: fail, complete: settle });
            } else if (result instanceof Promise) {
              result.then((r) => {
                subscriber.next(r);
                settle();
              }, fail);
            } else {
              subscriber.next(result);
              consumer.busy = false;
            }
          },
          complete: () => {
            if (consumer.busy) pendingComplete = true;
            else subscriber.complete();
          },
        };
        const remove = this.addConsumer(consumer);
        return () => {
          active = false;
          inner?.unsubscribe();
          remove();
        };
      });
    return stream as InputStream;
  }
}
