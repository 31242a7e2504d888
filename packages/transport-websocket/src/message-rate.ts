/**
 * Seconds of messages at the full rate a caller may send at once. A caller's network or event loop
 * that stalls for a moment delivers what it held back in one burst; a real flood outlasts it at once.
 */
export const BURST_SECONDS = 5;

/** A token bucket: at most `perSecond` messages a second on average, with a burst of `BURST_SECONDS` worth. */
export class MessageRate {
  private tokens: number;
  private last: number;
  private readonly capacity: number;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.capacity = perSecond * BURST_SECONDS;
    this.tokens = this.capacity;
    this.last = now();
  }

  /** Takes one message; false when the caller is above the rate. */
  take(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
