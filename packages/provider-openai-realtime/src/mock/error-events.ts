import type { Json } from './items.js';

export interface ErrorOptions {
  /** The client event the error answers, when it had an `event_id`. */
  readonly eventId?: string | null;
  readonly param?: string;
  readonly type?: string;
}

/** An `error` server event, shaped as the service sends it (§3.5). */
export function errorEvent(code: string | null, message: string, options: ErrorOptions = {}): Json {
  return {
    type: 'error',
    error: {
      type: options.type ?? 'invalid_request_error',
      code,
      message,
      param: options.param ?? null,
      event_id: options.eventId ?? null,
    },
  };
}

/** A client frame that is not a JSON object. */
export function invalidJsonError(): Json {
  return errorEvent(
    'invalid_json',
    "We could not parse the JSON body of your request. Expected a JSON object with a 'type' field.",
  );
}

/** A client event whose `type` the Realtime API does not know. */
export function unknownEventTypeError(type: unknown, eventId: string | null): Json {
  return errorEvent(
    'invalid_value',
    `Invalid value: '${String(type)}'. Supported values are client events of the Realtime API.`,
    { eventId, param: 'type' },
  );
}

/** `output_audio_buffer.clear` over a WebSocket, where the client owns playback. */
export function outputBufferClearError(eventId: string | null): Json {
  return errorEvent('invalid_value', 'output_audio_buffer.clear is only supported for WebRTC and SIP connections.', {
    eventId,
    param: 'type',
  });
}

/** The text of `session_expired`, also the reason of the 1001 close that follows it. */
export function sessionExpiredMessage(sessionMaxMs: number): string {
  const minutes = Math.round(sessionMaxMs / 60_000);
  return `Your session hit the maximum duration of ${minutes} minutes.`;
}
