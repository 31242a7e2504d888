import { recordTokenUsage, type TokenUsage } from '@beluga-voice/core';
import {
  type Context,
  type Counter,
  type Histogram,
  type Meter,
  type Span,
  type Tracer,
  trace,
} from '@opentelemetry/api';

export { endSpan } from '@beluga-voice/core';

/**
 * Span and metric names; attributes never carry the API key or tool arguments. Every span is a
 * child of `parent` (the provider node's session span), tool calls of their response's span.
 */
export class RealtimeTelemetry {
  private readonly firstAudio: Histogram;
  private readonly tokens: Counter;

  constructor(
    private readonly tracer: Tracer,
    meter: Meter,
    private readonly attributes: { model: string; voice: string; protocol: string },
    private readonly parent: Context,
  ) {
    this.firstAudio = meter.createHistogram('openai_realtime.time_to_first_audio', {
      unit: 'ms',
      description: 'From response.created (or the request) to its first audio delta',
    });
    this.tokens = meter.createCounter('openai_realtime.tokens', {
      unit: '{token}',
      description: 'Tokens used, by direction',
    });
  }

  startSpan(): Span {
    return this.tracer.startSpan(
      'openai_realtime.start',
      {
        attributes: {
          model: this.attributes.model,
          voice: this.attributes.voice,
          'openai_realtime.protocol': this.attributes.protocol,
        },
      },
      this.parent,
    );
  }

  responseSpan(responseId: string): Span {
    return this.tracer.startSpan(
      'openai_realtime.response',
      { attributes: { 'openai_realtime.response_id': responseId, model: this.attributes.model } },
      this.parent,
    );
  }

  toolSpan(callId: string, name: string, response: Span | undefined): Span {
    return this.tracer.startSpan(
      'openai_realtime.tool_call',
      { attributes: { 'openai_realtime.call_id': callId, 'tool.name': name } },
      response ? trace.setSpan(this.parent, response) : this.parent,
    );
  }

  recordFirstAudio(ms: number): void {
    this.firstAudio.record(ms, { model: this.attributes.model });
  }

  /** Counts a response's tokens and sets them on its span. */
  recordUsage(usage: TokenUsage, span: Span): void {
    recordTokenUsage(this.tokens, span, 'openai_realtime', this.attributes.model, usage);
  }
}
