/**
 * One breaker per provider: a failure opens it for `cooldownMs`, during which the provider is
 * skipped; after that it is tried again (half-open) and a success closes it.
 */
export class CircuitBreaker {
  private readonly openUntil = new Map<number, number>();
  private readonly reasons = new Map<number, string>();

  constructor(
    private readonly cooldownMs: number,
    private readonly now: () => number,
  ) {}

  trip(index: number, reason: string): void {
    this.openUntil.set(index, this.now() + this.cooldownMs);
    this.reasons.set(index, reason);
  }

  succeeded(index: number): void {
    this.openUntil.delete(index);
    this.reasons.delete(index);
  }

  isOpen(index: number): boolean {
    return (this.openUntil.get(index) ?? 0) > this.now();
  }

  /** Milliseconds until the provider may be tried again (0 when it may now). */
  retryInMs(index: number): number {
    return Math.max(0, (this.openUntil.get(index) ?? 0) - this.now());
  }

  lastFailure(index: number): string | undefined {
    return this.reasons.get(index);
  }
}
