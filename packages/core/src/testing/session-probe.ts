import type { Subscription } from 'rxjs';
import type { S2SEvent, S2SSession } from '../provider/s2s.js';
import type { TestUtterance } from './test-utterance.js';

interface Waiter {
  readonly what: string;
  readonly match: (event: S2SEvent) => boolean;
  readonly resolve: (event: S2SEvent) => void;
  readonly reject: (error: Error) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

/** Records a session's events and waits for the ones a test expects, with a time limit. */
export class SessionProbe {
  readonly events: S2SEvent[] = [];
  /** Resolves when `events$` completes; rejects if it errors. */
  readonly completed: Promise<void>;
  private readonly waiters = new Set<Waiter>();
  private readonly listeners: Array<(event: S2SEvent) => void> = [];
  private readonly subscription: Subscription;
  private ended = false;

  constructor(
    readonly session: S2SSession,
    private readonly timeoutMs: number,
  ) {
    let settle!: { resolve: () => void; reject: (e: unknown) => void };
    this.completed = new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
    });
    this.completed.catch(() => undefined);
    this.subscription = session.events$.subscribe({
      next: (event) => {
        this.events.push(event);
        for (const listener of this.listeners) listener(event);
        for (const waiter of [...this.waiters]) {
          if (waiter.match(event)) this.settle(waiter, () => waiter.resolve(event));
        }
      },
      error: (error) => {
        this.end(`the events errored: ${String(error)}`);
        settle.reject(error);
      },
      complete: () => {
        this.end('the events completed');
        settle.resolve();
      },
    });
  }

  /** Runs `fn` synchronously for every later event (after it is recorded). */
  onEvent(fn: (event: S2SEvent) => void): void {
    this.listeners.push(fn);
  }

  /** The first event from index `from` on that matches, waiting for it if needed. */
  waitFor<E extends S2SEvent = S2SEvent>(what: string, match: (event: S2SEvent) => boolean, from = 0): Promise<E> {
    const found = this.events.slice(from).find(match);
    if (found) return Promise.resolve(found as E);
    if (this.ended) return Promise.reject(new Error(`${what}: never came (${this.summary()})`));
    return new Promise<E>((resolve, reject) => {
      const waiter: Waiter = {
        what,
        match,
        resolve: resolve as (event: S2SEvent) => void,
        reject,
        timer: setTimeout(
          () =>
            this.settle(waiter, () =>
              reject(new Error(`${what}: not within ${this.timeoutMs} ms (${this.summary()})`)),
            ),
          this.timeoutMs,
        ),
      };
      this.waiters.add(waiter);
    });
  }

  /** Sends the utterance; a provider without server VAD is told where the speech was. */
  sendUtterance(utterance: TestUtterance, serverVad: boolean): void {
    if (!serverVad) this.session.speechStarted(utterance.voicedStartMs);
    for (const frame of utterance.frames) this.session.sendAudio(frame);
    if (!serverVad) this.session.speechStopped(utterance.voicedEndMs);
  }

  /** Sends the utterance at playback speed, for providers whose VAD needs real time. */
  async sendUtteranceRealtime(utterance: TestUtterance, serverVad: boolean): Promise<void> {
    if (!serverVad) this.session.speechStarted(utterance.voicedStartMs);
    const start = Date.now();
    for (const frame of utterance.frames) {
      const due = start + frame.timestamp - Date.now();
      if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
      this.session.sendAudio(frame);
    }
    if (!serverVad) this.session.speechStopped(utterance.voicedEndMs);
  }

  dispose(): void {
    this.subscription.unsubscribe();
    this.end('the probe was disposed');
  }

  summary(): string {
    const types = this.events.map((e) => e.type);
    const shown = types.length > 30 ? [...types.slice(0, 30), `… ${types.length - 30} more`] : types;
    return `events so far: ${shown.join(', ') || 'none'}`;
  }

  private end(reason: string): void {
    this.ended = true;
    for (const waiter of [...this.waiters]) {
      this.settle(waiter, () => waiter.reject(new Error(`${waiter.what}: never came, ${reason} (${this.summary()})`)));
    }
  }

  private settle(waiter: Waiter, fn: () => void): void {
    if (!this.waiters.delete(waiter)) return;
    clearTimeout(waiter.timer);
    fn();
  }
}
