import type { BusEvent } from '../bus.js';

type Metric = Extract<BusEvent, { type: 'metric' }>;

interface LinkLoss {
  frames: number;
  ms: number;
  policy: string;
}

/**
 * Totals of what each link dropped, from the runtime's `queue.drops` and `queue.dropped_ms`
 * metrics (running totals, the last one reported at the end of the run).
 */
export class LossSummary {
  private readonly links = new Map<string, LinkLoss>();

  /** Takes a metric; returns whether it was a loss metric. */
  record(metric: Metric): boolean {
    if (metric.name !== 'queue.drops' && metric.name !== 'queue.dropped_ms') return false;
    const link = String(metric.attributes?.link ?? metric.node ?? '?');
    const loss = this.links.get(link) ?? { frames: 0, ms: 0, policy: '' };
    if (metric.name === 'queue.drops') loss.frames = metric.value;
    else loss.ms = metric.value;
    if (metric.attributes?.policy !== undefined) loss.policy = String(metric.attributes.policy);
    this.links.set(link, loss);
    return true;
  }

  get droppedFrames(): number {
    let frames = 0;
    for (const loss of this.links.values()) frames += loss.frames;
    return frames;
  }

  /** `audio lost: …` and one line per link that dropped anything; nothing when no link did. */
  lines(): string[] {
    const lossy = [...this.links].filter(([, loss]) => loss.frames > 0);
    if (lossy.length === 0) return [];
    const ms = lossy.reduce((sum, [, loss]) => sum + loss.ms, 0);
    const count = lossy.length;
    return [
      `audio lost: ${this.droppedFrames} frames (${formatMs(ms)}) dropped on ${count} link${count === 1 ? '' : 's'}`,
      ...lossy.map(
        ([link, loss]) =>
          `  ${link}: ${loss.frames} frames (${formatMs(loss.ms)})${loss.policy ? `, overflow ${loss.policy}` : ''}`,
      ),
    ];
  }
}

function formatMs(ms: number): string {
  return `${Number.isInteger(ms) ? ms : ms.toFixed(1)} ms of audio`;
}
