import type { TokenUsage } from '@beluga-voice/core';

export { endSpan } from '@beluga-voice/core';

import type { Counter, Histogram, Meter, Span, Tracer } from '@opentelemetry/api';

/** Span and metric names; attributes never carry the API key or tool arguments. */
export class RealtimeTelemetry {
  private readonly firstAudio: Histogram;
  private readonly tokens: Counter;

  constructor(
    private readonly tracer: Tracer,
    meter: Meter,
    private readonly attributes: { model: string; voice: string; protocol: string },
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
    return this.tracer.startSpan('openai_realtime.start', {
      attributes: {
        model: this.attributes.model,
        voice: this.attributes.voice,
        'openai_realtime.protocol': this.attributes.protocol,
      },
    });
  }

  responseSpan(responseId: string): Span {
    return this.tracer.startSpan('openai_realtime.response', {
      attributes: { 'openai_realtime.response_id': responseId, model: this.attributes.model },
    });
  }

  toolSpan(callId: string, name: string): Span {
    return this.tracer.startSpan('openai_realtime.tool_call', {
      attributes: { 'openai_realtime.call_id': callId, 'tool.name': name },
    });
  }

  recordFirstAudio(ms: number): void {
    this.firstAudio.record(ms, { model: this.attributes.model });
  }

  recordUsage(usage: TokenUsage): void {
    this.tokens.add(usage.inputTokens, { model: this.attributes.model, direction: 'input' });
    this.tokens.add(usage.outputTokens, { model: this.attributes.model, direction: 'output' });
  }
}
