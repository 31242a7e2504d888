import { type Logger, redact, type S2SError, type S2SEvent } from '@beluga-voice/core';
import type { TurnDetection } from './config.js';
import type { ConversationLog } from './conversation-log.js';
import { BENIGN_ERROR_CODES, errorFromServerEvent } from './errors.js';
import type { Responses } from './responses.js';
import type { ToolCalls } from './tool-calls.js';
import type { UserInput } from './user-input.js';
import { parseServerEvent, type ServerEvent } from './wire/server-events.js';

/** The parts of the session that server events update. */
export interface ServerEventHost {
  readonly turnDetection: TurnDetection;
  readonly logger: Logger;
  readonly log: ConversationLog;
  readonly input: UserInput;
  readonly responses: Responses;
  readonly toolCalls: ToolCalls;
  emit(event: S2SEvent): void;
  /** The server announced the session's end: the coming close reconnects instead of failing. */
  expiring(): void;
  /** An error that ends the session. */
  fatal(error: S2SError): void;
}

/** The server event in `text`; unknown and malformed events are logged and give undefined. */
export function readServerEvent(text: string, logger: Logger): ServerEvent | undefined {
  const parsed = parseServerEvent(text);
  if (parsed.kind === 'unknown') {
    logger.debug(`unknown server event "${parsed.type}" ignored`);
    return undefined;
  }
  if (parsed.kind === 'invalid') {
    logger.warn(`malformed server event${parsed.type ? ` "${parsed.type}"` : ''} ignored: ${parsed.problem}`);
    return undefined;
  }
  return parsed.event;
}

/** Turns one server event into session state and `S2SEvent`s. */
export function handleServerEvent(event: ServerEvent, host: ServerEventHost): void {
  switch (event.type) {
    case 'error':
      handleServerError(event, host);
      return;
    case 'input_audio_buffer.speech_started':
      host.responses.speech(true);
      host.emit({ type: 'speech-start', timestamp: event.audio_start_ms });
      return;
    case 'input_audio_buffer.speech_stopped':
      host.responses.speech(false);
      host.emit({ type: 'speech-stop', timestamp: event.audio_end_ms });
      return;
    case 'input_audio_buffer.committed':
      host.log.reserveUserTurn(event.item_id, host.input.committed());
      if (host.turnDetection.type !== 'none' && !host.turnDetection.createResponse) host.responses.request();
      return;
    case 'conversation.item.input_audio_transcription.delta':
      if (event.delta)
        host.emit({ type: 'transcript', role: 'user', text: event.delta, final: false, itemId: event.item_id });
      return;
    case 'conversation.item.input_audio_transcription.completed':
      host.log.setText(event.item_id, 'user', event.transcript);
      host.emit({ type: 'transcript', role: 'user', text: event.transcript, final: true, itemId: event.item_id });
      return;
    case 'conversation.item.input_audio_transcription.failed':
      host.logger.warn(
        `input transcription failed for ${event.item_id}: ${redact(event.error.message ?? 'no reason given')}`,
      );
      return;
    case 'response.created':
      host.responses.created(event.response.id);
      return;
    case 'response.output_item.added':
      if (event.item.type === 'function_call' && event.item.call_id && event.item.name)
        host.toolCalls.named(event.item.call_id, event.item.name);
      if (event.item.type === 'message') host.log.reserve(event.item.id);
      return;
    case 'response.output_audio.delta':
      host.responses.audioDelta(event.response_id, event.item_id, event.content_index, event.delta);
      return;
    case 'response.output_audio_transcript.delta':
    case 'response.output_text.delta':
      host.responses.transcriptDelta(event.response_id, event.item_id, event.delta);
      return;
    case 'response.output_audio_transcript.done':
    case 'response.output_text.done':
      host.responses.transcriptDone(
        event.response_id,
        event.item_id,
        event.type === 'response.output_text.done' ? event.text : event.transcript,
      );
      return;
    case 'response.function_call_arguments.done':
      host.toolCalls.received(
        event.call_id,
        event.name,
        event.arguments,
        event.response_id,
        host.responses.spanOf(event.response_id),
      );
      return;
    case 'response.done':
      host.responses.done(event.response);
      return;
    case 'rate_limits.updated':
      host.logger.debug('rate limits updated', { rateLimits: event.rate_limits });
      return;
    default:
      host.logger.debug(`server event ${event.type}`);
      return;
  }
}

function handleServerError(event: Extract<ServerEvent, { type: 'error' }>, host: ServerEventHost): void {
  const body = event.error;
  const code = body.code ?? '';
  if (BENIGN_ERROR_CODES.has(code)) {
    host.logger.debug(`benign server error ${code}: ${redact(body.message)}`);
    return;
  }
  if (code === 'conversation_already_has_active_response') {
    // A server-VAD response started first; it sees every item added so far.
    host.responses.alreadyActive();
    return;
  }
  const error = errorFromServerEvent(body);
  if (error.code === 'session-expired') {
    host.expiring();
    return;
  }
  if (error.fatal) {
    host.fatal(error);
    return;
  }
  host.emit({ type: 'error', error });
}
