import { type Subscription, timer } from 'rxjs';
import type { NodeContext } from '../node.js';

/**
 * How long a draining provider node waits for its current response. While the pipeline is
 * stopping, its stop deadline governs (a long reply may finish if the caller allowed for it);
 * otherwise (input ended on its own, `end-session`) the node's fixed limit applies. A stop that
 * begins during the wait moves the deadline to the pipeline's.
 */
export class DrainDeadline {
  private timer: Subscription | undefined;
  private startedAt = 0;

  constructor(
    private readonly ctx: NodeContext,
    private readonly fixedMs: number,
    private readonly expired: (waitedMs: number) => void,
  ) {}

  start(): void {
    this.startedAt = this.ctx.now();
    this.arm(this.ctx.stopDeadline() ?? this.startedAt + this.fixedMs);
  }

  cancel(): void {
    this.timer?.unsubscribe();
    this.timer = undefined;
  }

  private arm(at: number): void {
    this.timer = timer(Math.max(0, at - this.ctx.now()), this.ctx.scheduler).subscribe(() => {
      this.timer = undefined;
      const now = this.ctx.now();
      const deadline = this.ctx.stopDeadline();
      if (deadline !== undefined && deadline > now) this.arm(deadline);
      else this.expired(now - this.startedAt);
    });
  }
}
