import type { Counter, Meter, ObservableGauge, ObservableResult } from '@opentelemetry/api';
import type { BusEvent } from '../bus.js';
import { audioDurationMs, type Frame } from '../frames.js';
import type { LinkQueue } from './link-queue.js';
import { limitText } from './queue-settings.js';

/**
 * Reports what the link queues hold and lose: depth as an OpenTelemetry gauge and bus metrics,
 * every dropped frame (and its ms of audio) as counters, the first drop of each link as a warning,
 * and running totals on the bus (`queue.drops`, `queue.dropped_ms`) until the final report.
 */
export class QueueReport {
  private readonly drops: Counter;
  private readonly droppedMs: Counter;
  private depthGauge?: ObservableGauge;
  private readonly observeDepth = (result: ObservableResult) => {
    for (const queue of this.queues) result.observe(queue.size, { link: queue.id });
  };
  private readonly lastReported = new Map<LinkQueue, { drops: number; flushed: number }>();

  constructor(
    private readonly meter: Meter,
    private readonly queues: readonly LinkQueue[],
    private readonly publish: (event: BusEvent) => void,
    private readonly now: () => number,
  ) {
    this.drops = meter.createCounter('beluga.queue.drops', { description: 'Frames dropped by a link queue policy' });
    this.droppedMs = meter.createCounter('beluga.queue.dropped_ms', {
      description: 'Milliseconds of audio dropped by a link queue policy',
      unit: 'ms',
    });
  }

  start(): void {
    this.depthGauge = this.meter.createObservableGauge('beluga.queue.depth', {
      description: 'Frames waiting on a link',
    });
    this.depthGauge.addCallback(this.observeDepth);
  }

  /** A queue's policy dropped `frame` (or a frame it no longer has). */
  dropped(queue: LinkQueue, frame: Frame | undefined): void {
    const attributes = { link: queue.id, policy: queue.limits.overflow };
    this.drops.add(1, attributes);
    if (frame?.kind === 'audio') this.droppedMs.add(audioDurationMs(frame), attributes);
    if (queue.drops === 1) {
      this.publish({ type: 'warning', time: this.now(), code: 'queue-drop', message: dropWarning(queue) });
    }
  }

  /** Publishes the deepest each queue has been since the last report, and drop and flush totals that changed. */
  report(): void {
    for (const queue of this.queues) {
      const last = this.lastReported.get(queue) ?? { drops: 0, flushed: 0 };
      const link = { link: queue.id };
      if (queue.windowMaxDepth > 0) this.metric('queue.depth', queue.windowMaxDepth, 'frames', link);
      if (queue.drops !== last.drops) {
        const attributes = { ...link, policy: queue.limits.overflow };
        this.metric('queue.drops', queue.drops, 'frames', attributes);
        this.metric('queue.dropped_ms', queue.droppedMs, 'ms', attributes);
      }
      if (queue.flushed !== last.flushed) this.metric('queue.flushed', queue.flushed, 'frames', link);
      this.lastReported.set(queue, { drops: queue.drops, flushed: queue.flushed });
      queue.windowMaxDepth = queue.size;
    }
  }

  stop(): void {
    this.depthGauge?.removeCallback(this.observeDepth);
  }

  private metric(name: string, value: number, unit: string, attributes: Record<string, string>): void {
    this.publish({ type: 'metric', time: this.now(), name, value, unit, attributes });
  }
}

function dropWarning(queue: LinkQueue): string {
  const policy = queue.limits.overflow;
  if (policy !== 'block') return `queue ${queue.id} is full: dropping frames (${policy})`;
  const bound = limitText(queue.limits);
  return queue.producerPauses
    ? `queue ${queue.id} is twice over its bound (${bound}): its producer did not pause; dropping the oldest audio (block)`
    : `queue ${queue.id} is full (${bound}) and its producer cannot pause: dropping the oldest audio to hold the bound (block)`;
}
