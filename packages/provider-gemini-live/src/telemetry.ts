import { recordTokenUsage, type TokenUsage } from '@beluga-voice/core';
import type { Counter, Histogram, Meter, Span, Tracer } from '@opentelemetry/api';

/** Span and metric names; attributes never carry the API key or tool arguments. */
export class GeminiTelemetry {
  private readonly firstAudio: Histogram;
  private readonly tokens: Counter;
  private readonly resumptions: Counter;

  constructor(
    private readonly tracer: Tracer,
    meter: Meter,
    private readonly attributes: { model: string; voice: string },
  ) {
    this.firstAudio = meter.createHistogram('gemini_live.time_to_first_audio', {
      unit: 'ms',
      description: 'From the start of a model turn (or the end of the user turn) to its first audio',
    });
    this.tokens = meter.createCounter('gemini_live.tokens', {
      unit: '{token}',
      description: 'Tokens used, by direction',
    });
    this.resumptions = meter.createCounter('gemini_live.resumptions', {
      description: 'Sessions resumed on a new socket, by how (handle or replay)',
    });
  }

  startSpan(): Span {
    return this.tracer.startSpan('gemini_live.start', {
      attributes: { model: this.attributes.model, voice: this.attributes.voice },
    });
  }

  responseSpan(responseId: string): Span {
    return this.tracer.startSpan('gemini_live.response', {
      attributes: { 'gemini_live.response_id': responseId, model: this.attributes.model },
    });
  }

  toolSpan(callId: string, name: string): Span {
    return this.tracer.startSpan('gemini_live.tool_call', {
      attributes: { 'gemini_live.call_id': callId, 'tool.name': name },
    });
  }

  resumeSpan(how: 'handle' | 'replay', reason: string): Span {
    this.resumptions.add(1, { model: this.attributes.model, how });
    return this.tracer.startSpan('gemini_live.resume', { attributes: { 'gemini_live.resume': how, reason } });
  }

  recordFirstAudio(ms: number): void {
    this.firstAudio.record(ms, { model: this.attributes.model });
  }

  /** Counts a response's tokens and sets them on its span. */
  recordUsage(usage: TokenUsage, span: Span): void {
    recordTokenUsage(this.tokens, span, 'gemini_live', this.attributes.model, usage);
  }
}
