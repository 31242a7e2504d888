import { metrics, SpanStatusCode, trace } from '@opentelemetry/api';
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import type { AudioFormat } from '../../audio-format.js';
import {
  type ConversationContext,
  type S2SCapabilities,
  S2SError,
  type S2SProvider,
  type S2SSession,
  type StartSessionOptions,
} from '../s2s.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { FailoverSession, type OpenedProvider } from './failover-session.js';

export const FAILOVER = 'provider.failover';

/** One provider of the list: made on first use, kept for later sessions. */
export interface FailoverEntry {
  /** Shown in reports, e.g. `openai-realtime`. */
  readonly name: string;
  readonly create: () => S2SProvider | Promise<S2SProvider>;
  /** Whether it detects turns itself (its `capabilities.serverVad`); default true. */
  readonly serverVad?: boolean;
}

/** A switch from one provider to the next, for the bus and the logs. */
export interface FailoverSwitch {
  readonly from: string;
  readonly to?: string;
  readonly reason: string;
  readonly code: string;
  /** User audio held during the switch, and dropped because it exceeded `bufferMs`. */
  readonly bufferedMs: number;
  /** User audio since the last completed reply, spoken again to the next provider. */
  readonly replayedMs: number;
  readonly droppedMs: number;
  readonly gapMs: number;
}

export interface FailoverOptions {
  readonly providers: readonly FailoverEntry[];
  /** A provider that failed is skipped for this long (default 30 s). */
  readonly cooldownMs?: number;
  /** User audio held while switching, at most (default 5000 ms). */
  readonly bufferMs?: number;
  /** What `sendAudio` takes and audio events carry; each provider's formats are converted to and from. */
  readonly input?: AudioFormat;
  readonly output?: AudioFormat;
  readonly scheduler?: SchedulerLike;
  readonly onSwitch?: (report: FailoverSwitch) => void;
}

const PCM24K: AudioFormat = { encoding: 'pcm16', sampleRate: 24_000, channels: 1 };

/** Default: anything the session cannot go on from, and refusals another vendor may not share. */
export function failoverWorthy(error: S2SError): boolean {
  if (error.code === 'closed' || error.code === 'invalid-input' || error.code === 'unknown-tool-call') return false;
  return error.fatal || error.code === 'auth' || error.code === 'rate-limit' || error.code === 'server';
}

/**
 * An ordered list of providers behind one `S2SProvider`: sessions run on the first provider whose
 * circuit breaker is closed, and move to the next on a failure, replaying the conversation so far
 * as text and holding user input until the new session is ready.
 */
export class FailoverProvider implements S2SProvider {
  readonly name = 'failover';
  readonly capabilities: S2SCapabilities;
  private readonly providers: (S2SProvider | undefined)[];
  private readonly breaker: CircuitBreaker;
  private readonly scheduler: SchedulerLike;

  constructor(private readonly options: FailoverOptions) {
    if (options.providers.length === 0) throw new Error(`${FAILOVER}: "providers" must list at least one provider`);
    this.providers = options.providers.map(() => undefined);
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.breaker = new CircuitBreaker(options.cooldownMs ?? 30_000, () => this.scheduler.now());
    const input = options.input ?? PCM24K;
    this.capabilities = {
      input: { encoding: [input.encoding], sampleRate: [input.sampleRate], channels: [input.channels] },
      output: options.output ?? PCM24K,
      tools: true,
      // Turn markers from a local VAD are wanted as soon as one provider of the list needs them.
      serverVad: options.providers.every((p) => p.serverVad ?? true),
      transcripts: true,
      interruption: true,
    };
  }

  /** A provider that would not open: reported as a switch to the one that did (or to none). */
  private report(
    failure: { name: string; error: unknown; at: number },
    to: string | undefined,
    onSwitch: (report: FailoverSwitch) => void,
  ): void {
    const error = failure.error;
    onSwitch({
      from: failure.name,
      ...(to ? { to } : {}),
      reason: error instanceof Error ? error.message : String(error),
      code: error instanceof S2SError ? error.code : 'connection',
      bufferedMs: 0,
      replayedMs: 0,
      droppedMs: 0,
      gapMs: this.scheduler.now() - failure.at,
    });
  }

  async startSession(context: ConversationContext, options: StartSessionOptions = {}): Promise<S2SSession> {
    const tracer = options.tracer ?? trace.getTracer('@beluga-voice/core');
    const switches = (options.meter ?? metrics.getMeter('@beluga-voice/core')).createCounter(
      'provider.failover.switches',
      {
        description: 'Switches from a failed provider to the next',
      },
    );
    const onSwitch = (report: FailoverSwitch) => {
      switches.add(1, { from: report.from, to: report.to ?? 'none', code: report.code });
      const span = tracer.startSpan('provider.failover.switch', {
        attributes: {
          'failover.from': report.from,
          'failover.to': report.to ?? 'none',
          'failover.reason': report.code,
          'failover.buffered_ms': Math.round(report.bufferedMs),
          'failover.replayed_ms': Math.round(report.replayedMs),
          'failover.dropped_ms': Math.round(report.droppedMs),
          'failover.gap_ms': Math.round(report.gapMs),
        },
      });
      if (!report.to) span.setStatus({ code: SpanStatusCode.ERROR, message: report.reason });
      span.end();
      this.options.onSwitch?.(report);
    };
    const session = new FailoverSession({
      context,
      input: this.options.input ?? PCM24K,
      output: this.options.output ?? PCM24K,
      bufferMs: this.options.bufferMs ?? 5000,
      now: () => this.scheduler.now(),
      open: (history, exclude) => this.open({ ...context, history }, options, exclude, onSwitch),
      shouldSwitch: (index, error) => this.providers[index]?.shouldFailover?.(error) ?? failoverWorthy(error),
      failed: (index, error) => this.breaker.trip(index, error.message),
      onSwitch,
    });
    await session.start();
    return session;
  }

  /** The first provider in order whose breaker is closed and whose session opens. */
  private async open(
    context: ConversationContext,
    options: StartSessionOptions,
    exclude: number | undefined,
    onSwitch: (report: FailoverSwitch) => void,
  ): Promise<OpenedProvider> {
    const problems: string[] = [];
    const failures: { name: string; error: unknown; at: number }[] = [];
    for (let index = 0; index < this.options.providers.length; index++) {
      const entry = this.options.providers[index];
      if (index === exclude) {
        problems.push(`${entry.name}: ${this.breaker.lastFailure(index) ?? 'failed'}`);
        continue;
      }
      if (this.breaker.isOpen(index)) {
        problems.push(
          `${entry.name}: cooling down for ${Math.ceil(this.breaker.retryInMs(index) / 1000)} s after "${this.breaker.lastFailure(index)}"`,
        );
        continue;
      }
      try {
        const provider = (this.providers[index] ??= await entry.create());
        const session = await provider.startSession(context, options);
        this.breaker.succeeded(index);
        for (const failure of failures) this.report(failure, entry.name, onSwitch);
        return { index, name: entry.name, provider, session };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.breaker.trip(index, message);
        problems.push(`${entry.name}: ${message}`);
        failures.push({ name: entry.name, error, at: this.scheduler.now() });
      }
    }
    for (const failure of failures) this.report(failure, undefined, onSwitch);
    throw new S2SError('connection', `${FAILOVER}: no provider available (${problems.join('; ')})`, { fatal: true });
  }
}
