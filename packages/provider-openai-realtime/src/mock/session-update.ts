import type { ConnectionContext } from './connection-context.js';
import type { InputAudioBuffer } from './input-audio-buffer.js';
import type { Json } from './items.js';
import { applyBetaUpdate, applyGaUpdate, renderSession, voiceChange } from './session-state.js';
import { betaSessionSchema, gaSessionSchema, validateParameters } from './session-validation.js';

/**
 * `session.update`: validated as the protocol's schema, refused when it changes the voice after
 * assistant audio, otherwise applied (the VAD follows) and echoed as `session.updated`.
 */
export function updateSession(
  ctx: ConnectionContext,
  buffer: InputAudioBuffer,
  event: Json,
  eventId: string | null,
): void {
  const { protocol, session, events } = ctx;
  const result =
    protocol === 'ga'
      ? validateParameters(gaSessionSchema, event.session, 'session')
      : validateParameters(betaSessionSchema, event.session, 'session');
  if (!result.ok) {
    events.error(result.error.code, result.error.message, { eventId, param: result.error.param });
    return;
  }
  if (ctx.conversation.assistantAudioSent && voiceChange(session, protocol, result.value)) {
    events.error('cannot_update_voice', "Cannot update a conversation's voice if assistant audio is present.", {
      eventId,
      param: protocol === 'ga' ? 'session.audio.output.voice' : 'session.voice',
    });
    return;
  }
  if (protocol === 'ga') applyGaUpdate(session, result.value as never);
  else applyBetaUpdate(session, result.value as never);
  buffer.reconfigure();
  events.send({ type: 'session.updated', session: renderSession(protocol, session) });
}
