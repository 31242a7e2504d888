/** The timers of one connection, all cleared together when it closes. */
export class ConnectionTimers {
  private readonly timeouts = new Set<NodeJS.Timeout>();
  private readonly immediates = new Set<NodeJS.Immediate>();

  /** Runs `fn` after `ms`; returns a function that cancels it. */
  later(ms: number, fn: () => void): () => void {
    const handle = setTimeout(() => {
      this.timeouts.delete(handle);
      fn();
    }, ms);
    this.timeouts.add(handle);
    return () => {
      clearTimeout(handle);
      this.timeouts.delete(handle);
    };
  }

  /** Runs `fn` once the events already queued have been handled. */
  soon(fn: () => void): void {
    const handle = setImmediate(() => {
      this.immediates.delete(handle);
      fn();
    });
    this.immediates.add(handle);
  }

  /** Resolves after `ms`, or on the next turn of the event loop for 0. */
  pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (ms > 0) this.later(ms, resolve);
      else this.soon(resolve);
    });
  }

  clear(): void {
    for (const t of this.timeouts) clearTimeout(t);
    for (const i of this.immediates) clearImmediate(i);
    this.timeouts.clear();
    this.immediates.clear();
  }
}
