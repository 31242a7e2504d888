import { type Context, type Span, type SpanContext, trace } from '@opentelemetry/api';
import type { NodeContext } from '../node.js';

/**
 * The provider node's spans, parented explicitly so that one conversation is one trace:
 * pipeline → node → `provider.session` → `beluga.turn` → `provider.response` (→ `tool.execute`
 * in the tool router, through the span context the tool-call frame carries).
 */
export class SessionTrace {
  private sessionSpan: Span | undefined;
  private readonly responses = new Map<string, Span>();
  /** The session span's context once opened; the node's until then. */
  context: Context;

  constructor(
    private readonly ctx: NodeContext,
    private readonly providerName: string,
  ) {
    this.context = ctx.traceContext;
  }

  /** Starts `provider.session`; its context is what the provider parents its own spans on. */
  openSession(): Context {
    this.sessionSpan = this.ctx.tracer.startSpan(
      'provider.session',
      { attributes: { 'provider.name': this.providerName, 'beluga.node': this.ctx.id } },
      this.ctx.traceContext,
    );
    this.context = trace.setSpan(this.ctx.traceContext, this.sessionSpan);
    return this.context;
  }

  /** Starts `provider.response` under `parent` (its turn), or under the session. */
  responseStarted(responseId: string, parent: Context | undefined): void {
    const span = this.ctx.tracer.startSpan(
      'provider.response',
      { attributes: { 'provider.name': this.providerName, 'provider.response_id': responseId } },
      parent ?? this.context,
    );
    this.responses.set(responseId, span);
  }

  responseDone(responseId: string, status: string): void {
    const span = this.responses.get(responseId);
    span?.setAttribute('provider.status', status);
    span?.end();
    this.responses.delete(responseId);
  }

  /** The span a tool call of this response parents on (the session's if the response is gone), when traced. */
  spanContextFor(responseId: string | undefined): SpanContext | undefined {
    const span = (responseId === undefined ? undefined : this.responses.get(responseId)) ?? this.sessionSpan;
    const context = span?.spanContext();
    return context && trace.isSpanContextValid(context) ? context : undefined;
  }

  end(): void {
    for (const span of this.responses.values()) span.end();
    this.responses.clear();
    this.sessionSpan?.end();
    this.sessionSpan = undefined;
  }
}
