import type { SpanContext } from '@opentelemetry/api';
import type { AudioFrame, FrameOf } from '../frames.js';
import type { S2SEvent } from './s2s.js';

type EventOf<T extends S2SEvent['type']> = Extract<S2SEvent, { type: T }>;

/** The audio port's frame: the provider's frame, stamped with its response. */
export function audioFrame(event: EventOf<'audio'>): AudioFrame {
  const { frame, responseId } = event;
  return frame.responseId === responseId ? frame : { ...frame, responseId };
}

/** The transcripts port's frame for a provider transcript; `timestamp` is session time. */
export function transcriptFrame(event: EventOf<'transcript'>, timestamp: number): FrameOf<'transcript'> {
  return {
    kind: 'transcript',
    timestamp,
    role: event.role,
    text: event.text,
    final: event.final,
    ...(event.itemId === undefined ? {} : { itemId: event.itemId }),
    ...(event.responseId === undefined ? {} : { responseId: event.responseId }),
  };
}

/** The toolCalls port's frame; `spanContext` (the response's span) parents the tool's own span. */
export function toolCallFrame(
  event: EventOf<'tool-call'>,
  timestamp: number,
  spanContext: SpanContext | undefined,
): FrameOf<'tool-call'> {
  return {
    kind: 'tool-call',
    timestamp,
    id: event.id,
    name: event.name,
    arguments: event.arguments,
    ...(event.responseId === undefined ? {} : { responseId: event.responseId }),
    ...(spanContext ? { spanContext } : {}),
  };
}

/** The events port's frame for the end of a response, with its token usage when the provider gave it. */
export function responseDoneFrame(event: EventOf<'response-done'>, timestamp: number): FrameOf<'response-done'> {
  return {
    kind: 'response-done',
    timestamp,
    responseId: event.responseId,
    status: event.status,
    ...(event.usage ? { usage: event.usage } : {}),
  };
}
