import type { NodeContext } from '../node.js';
import { errorCode, NodeReportedError } from '../runtime/errors.js';
import { errorMessage } from '../secrets.js';
import type { ResponseRecord } from './response-ledger.js';
import type { S2SEvent } from './s2s.js';

type ResponseDone = Extract<S2SEvent, { type: 'response-done' }>;

/** Provider events that only inform: the session goes on. */
export type ProviderNotice = Extract<
  S2SEvent,
  { type: 'error' | 'reconnected' | 'warning' | 'session-started' | 'interrupted' | 'closed' }
>;

/**
 * What the provider node tells the bus about its session: response marks, token metrics, the
 * provider's notices, and errors, each prefixed with the node's label.
 */
export class SessionReports {
  /** `type "id"`, the prefix of every message. */
  private readonly label: string;
  /** Non-fatal call errors already reported: they repeat per frame. */
  private readonly reported = new Set<string>();

  constructor(
    private readonly ctx: NodeContext,
    private readonly providerName: string,
  ) {
    this.label = `${ctx.type} "${ctx.id}"`;
  }

  firstAudio(responseId: string, sinceResponseStartMs: number, sinceTurnEndMs: number | undefined): void {
    this.ctx.emit({
      type: 'mark',
      name: 'first-audio',
      data: { responseId, sinceResponseStartMs, sinceTurnEndMs },
    });
  }

  responseStarted(responseId: string): void {
    this.ctx.emit({ type: 'mark', name: 'response-start', data: { responseId } });
  }

  /** The `response-done` mark, then the response's token usage as metrics. */
  responseDone(event: ResponseDone, record: ResponseRecord, now: number): void {
    this.ctx.emit({
      type: 'mark',
      name: 'response-done',
      data: {
        responseId: event.responseId,
        status: event.status,
        audioMs: record.receivedMs,
        durationMs: now - record.startedAt,
      },
    });
    if (!event.usage) return;
    const attributes = { provider: this.providerName };
    this.tokens('provider.tokens.input', event.usage.inputTokens, attributes);
    this.tokens('provider.tokens.output', event.usage.outputTokens, attributes);
    this.tokens('provider.tokens.total', event.usage.totalTokens, attributes);
  }

  interrupted(responseId: string, playedMs: number, receivedMs: number): void {
    this.ctx.emit({ type: 'mark', name: 'interrupt', data: { responseId, playedMs, receivedMs } });
  }

  /** Errors (non-fatal ones), reconnects and warnings go to the bus; the rest to the debug log. */
  notice(event: ProviderNotice): void {
    switch (event.type) {
      case 'error':
        this.ctx.emit({
          type: 'error',
          code: event.error.code,
          message: `${this.label}: ${event.error.message}`,
          fatal: false,
        });
        return;
      case 'reconnected':
        this.warning('reconnected', `reconnected after ${event.gapMs} ms (attempt ${event.attempt})`);
        return;
      case 'warning':
        this.warning(event.code, event.message);
        return;
      default:
        this.ctx.logger.debug(`${this.label}: ${event.type}`, { ...event });
    }
  }

  warning(code: string, message: string): void {
    this.ctx.emit({ type: 'warning', code, message: `${this.label}: ${message}` });
  }

  drainTimedOut(waitedMs: number, reason: string): void {
    this.warning('drain-timeout', `still responding ${Math.round(waitedMs)} ms after ${reason}; closing the session`);
  }

  closeFailed(error: unknown): void {
    this.warning('close-failed', `closing the session: ${errorMessage(error)}`);
  }

  /** A session call that threw; each distinct message goes to the bus once. */
  callFailed(error: unknown): void {
    const message = `${this.label}: ${errorMessage(error)}`;
    if (this.reported.has(message)) return;
    this.reported.add(message);
    this.ctx.emit({ type: 'error', message, fatal: false, ...errorCode(error) });
  }

  /**
   * Reports a failure that ends the session, with its code, and returns the error to end the
   * outputs with: marked as reported, so the runtime applies the node's policy without a second report.
   */
  fatal(message: string, code: string | undefined): NodeReportedError {
    const text = `${this.label}: ${message}`;
    this.ctx.emit({ type: 'error', message: text, fatal: true, ...(code === undefined ? {} : { code }) });
    return new NodeReportedError(text, code);
  }

  private tokens(name: string, value: number, attributes: { provider: string }): void {
    this.ctx.emit({ type: 'metric', name, value, unit: 'tokens', attributes });
  }
}
