import type { BusEvent } from '../bus.js';
import { redact } from '../secrets.js';
import { LossSummary } from './loss-summary.js';

/** The metric a file source reports its progress with: `value` from 0 to 1. */
export const PROGRESS_METRIC = 'source.progress';

type Metric = Extract<BusEvent, { type: 'metric' }>;

const BAR_WIDTH = 24;

/**
 * What `beluga run` shows on stderr: errors and warnings as lines, file-source progress and a
 * live line of metrics. On a TTY one status line is redrawn in place; otherwise progress is
 * printed every 10 % and the metrics once at the end, so that logs stay readable.
 */
export class RunDisplay {
  private readonly progress = new Map<string, number>();
  private readonly printedSteps = new Map<string, number>();
  private readonly queueDepth = new Map<string, number>();
  private readonly losses = new LossSummary();
  private readonly latest = new Map<string, string>();
  private drawn = false;
  /** Fatal errors already shown, so that the run's final failure is not printed twice. */
  readonly fatalErrors = new Set<string>();

  constructor(
    private readonly out: NodeJS.WritableStream & { columns?: number },
    private readonly tty: boolean,
    private readonly verbose = false,
  ) {}

  onEvent(event: BusEvent): void {
    switch (event.type) {
      case 'metric':
        this.onMetric(event);
        return;
      case 'error':
        if (event.fatal) this.fatalErrors.add(event.message);
        this.line(`error${event.node ? ` [${event.node}]` : ''}: ${event.message}${event.fatal ? '' : ' (not fatal)'}`);
        return;
      case 'warning':
        this.line(`warning${event.node ? ` [${event.node}]` : ''}: ${event.message}`);
        return;
      case 'converter-inserted':
        this.line(`inserted ${event.converter} as "${event.node}": ${event.reason}`);
        return;
      case 'log':
        if (this.verbose || event.level === 'warn' || event.level === 'error') {
          this.line(`${event.level}${event.node ? ` [${event.node}]` : ''}: ${event.message}`);
        }
        return;
      default:
        return;
    }
  }

  /** Prints a line above the status line (or as is, off a TTY). */
  line(text: string): void {
    this.clear();
    this.out.write(`${redact(text)}\n`);
    this.draw();
  }

  /** Redraws the status line (TTY only). */
  draw(): void {
    if (!this.tty) return;
    const status = this.statusText();
    if (!status) return;
    const width = Math.max(20, (this.out.columns ?? 100) - 1);
    this.out.write(`\r\x1b[2K${status.length > width ? `${status.slice(0, width - 1)}…` : status}`);
    this.drawn = true;
  }

  /** Clears the status line and, off a TTY, prints the final metrics. */
  finish(): void {
    this.clear();
    const metrics = this.metricsText();
    if (metrics) this.out.write(`metrics: ${metrics}\n`);
  }

  /** Prints, after the run, what each link dropped (frames and ms of audio): loss is never silent. */
  lossSummary(): void {
    for (const line of this.losses.lines()) this.out.write(`${line}\n`);
  }

  private clear(): void {
    if (this.drawn) this.out.write('\r\x1b[2K');
    this.drawn = false;
  }

  private onMetric(event: Metric): void {
    if (event.name === PROGRESS_METRIC) {
      const label = String(event.attributes?.path ?? event.node ?? 'source');
      const value = Math.min(1, Math.max(0, event.value));
      this.progress.set(label, value);
      if (!this.tty) {
        const step = Math.floor(value * 10);
        if (step > (this.printedSteps.get(label) ?? -1)) {
          this.printedSteps.set(label, step);
          this.out.write(`${label}: ${step * 10}%\n`);
        }
      }
      return;
    }
    if (this.losses.record(event)) return;
    const link = String(event.attributes?.link ?? event.node ?? '');
    if (event.name === 'queue.depth') this.queueDepth.set(link, event.value);
    else this.latest.set(event.node ? `${event.node}.${event.name}` : event.name, formatValue(event.value, event.unit));
  }

  private statusText(): string {
    const bars = [...this.progress].map(([label, value]) => {
      const filled = Math.round(value * BAR_WIDTH);
      return `${label} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${Math.round(value * 100)}%`;
    });
    const metrics = this.metricsText();
    return [...bars, metrics].filter(Boolean).join('  |  ');
  }

  private metricsText(): string {
    const parts: string[] = [];
    if (this.queueDepth.size > 0) parts.push(`queue max ${Math.max(...this.queueDepth.values())}`);
    if (this.losses.droppedFrames > 0) parts.push(`drops ${this.losses.droppedFrames}`);
    for (const [name, value] of this.latest) parts.push(`${name} ${value}`);
    return parts.join('  ');
  }
}

function formatValue(value: number, unit: string | undefined): string {
  const rounded = Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 2 : 0);
  return unit ? `${rounded} ${unit}` : rounded;
}
