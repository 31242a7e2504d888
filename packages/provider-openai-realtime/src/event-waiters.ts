import { S2SError } from '@beluga-voice/core';
import { type SchedulerLike, type Subscription, timer } from 'rxjs';
import { errorFromServerEvent } from './errors.js';
import type { ServerEvent } from './wire/server-events.js';

interface Waiter {
  readonly type: ServerEvent['type'];
  /** An `error` event naming this client event id rejects the wait. */
  readonly eventId?: string;
  readonly resolve: (event: ServerEvent) => void;
  readonly reject: (error: S2SError) => void;
}

/**
 * Request/reply on an event stream: waits for the server event that answers a client event
 * (`session.created`, `session.updated` after a `session.update`), or the `error` naming it.
 */
export class EventWaiters {
  private waiters: Waiter[] = [];

  constructor(
    private readonly scheduler: SchedulerLike,
    private readonly who: string,
  ) {}

  /** Resolves with the next event of `type`; rejects on an error about `eventId` or after `timeoutMs`. */
  waitFor(type: ServerEvent['type'], eventId?: string, timeoutMs?: number): Promise<ServerEvent> {
    return new Promise((resolve, reject) => {
      let deadline: Subscription | undefined;
      const waiter: Waiter = {
        type,
        eventId,
        resolve: (e) => {
          deadline?.unsubscribe();
          resolve(e);
        },
        reject: (e) => {
          deadline?.unsubscribe();
          reject(e);
        },
      };
      this.waiters.push(waiter);
      if (timeoutMs !== undefined) {
        deadline = timer(timeoutMs, this.scheduler).subscribe(() =>
          this.settle(waiter, () =>
            waiter.reject(new S2SError('timeout', `${this.who}: no ${type} within ${timeoutMs} ms`)),
          ),
        );
      }
    });
  }

  /** Settles the waits `event` answers; true when it was an error meant for one of them. */
  offer(event: ServerEvent): boolean {
    for (const waiter of [...this.waiters]) {
      if (event.type === waiter.type) this.settle(waiter, () => waiter.resolve(event));
      else if (event.type === 'error' && waiter.eventId && event.error.event_id === waiter.eventId) {
        this.settle(waiter, () => waiter.reject(errorFromServerEvent(event.error)));
        return true;
      }
    }
    return false;
  }

  rejectAll(error: S2SError): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter.reject(error);
  }

  private settle(waiter: Waiter, fn: () => void): void {
    const index = this.waiters.indexOf(waiter);
    if (index < 0) return;
    this.waiters.splice(index, 1);
    fn();
  }
}
