import { bytesPerMs, encodeFromPcm16, sampleRateOf } from './audio.js';
import type { ConnectionContext } from './connection-context.js';
import { newId } from './ids.js';
import { type Item, NAMES, type ResponseRun, words } from './items.js';
import type { ResponsePacing, SocketBreak } from './response-pacing.js';
import { DEFAULT_REPLY_TEXT, type MockReply, replyAudio } from './script.js';

/** Ends the socket as a response fault asks. */
export type SocketBreaker = (fault: SocketBreak['fault']) => void;

/**
 * An assistant message with audio (or text) content, streamed as paced deltas: §7.2 steps 7–15.
 * A cancel stops it after the current delta, keeping what was said. Returns true when the socket ended.
 */
export async function speakReply(
  ctx: ConnectionContext,
  run: ResponseRun,
  reply: MockReply,
  outputIndex: number,
  pacing: ResponsePacing,
  breakAfter: SocketBreak | undefined,
  breakSocket: SocketBreaker,
): Promise<boolean> {
  const { events, conversation, session } = ctx;
  const names = NAMES[ctx.protocol];
  const audioMode = session.outputModalities.includes('audio');
  const text = reply.text ?? (reply.audio ? '' : DEFAULT_REPLY_TEXT);
  const item: Item = {
    id: newId('item'),
    type: 'message',
    role: 'assistant',
    status: 'in_progress',
    content: [],
    audioBytes: 0,
  };
  const previous = conversation.addOutput(run, item, outputIndex);
  const ids = { response_id: run.id, item_id: item.id, output_index: outputIndex, content_index: 0 };
  events.send({
    type: 'response.content_part.added',
    ...ids,
    part: audioMode ? { type: 'audio', transcript: '' } : { type: 'text', text: '' },
  });
  const tokens = words(text);
  const format = session.outputFormat;
  const bytes = audioMode ? encodeFromPcm16(format, replyAudio(reply, sampleRateOf(format))) : new Uint8Array(0);
  const chunkBytes = Math.max(1, Math.round(pacing.chunkMs * bytesPerMs(format)));
  const chunks = audioMode ? Math.max(1, Math.ceil(bytes.byteLength / chunkBytes)) : tokens.length;
  let sentWords = 0;
  let said = '';
  await ctx.timers.pause(pacing.firstAudioLatencyMs);
  for (let i = 0; i < chunks && !events.closed && !run.cancelReason; i++) {
    // Transcript deltas run ahead of the audio they describe (§7.2 step 10).
    const due = Math.min(tokens.length, Math.ceil(((i + 1) / chunks) * tokens.length));
    for (; sentWords < due; sentWords++) {
      said += tokens[sentWords];
      events.send({
        type: audioMode ? names.transcriptDelta : names.textDelta,
        ...ids,
        delta: tokens[sentWords],
      });
    }
    if (audioMode) {
      const chunk = bytes.subarray(i * chunkBytes, Math.min(bytes.byteLength, (i + 1) * chunkBytes));
      item.audioBytes += chunk.byteLength;
      run.outputTokens += Math.ceil(chunk.byteLength / bytesPerMs(format) / 50);
      conversation.assistantAudioSent = true;
      events.send({
        type: names.audioDelta,
        ...ids,
        delta: Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('base64'),
      });
    }
    if (breakAfter && i + 1 >= breakAfter.chunks) {
      breakSocket(breakAfter.fault);
      return true;
    }
    if (i + 1 < chunks) await ctx.timers.pause(pacing.chunkIntervalMs);
  }
  if (events.closed) return true;
  const finalText = run.cancelReason ? said : text;
  if (audioMode) {
    events.send({ type: names.audioDone, ...ids });
    events.send({ type: names.transcriptDone, ...ids, transcript: finalText });
    events.send({ type: 'response.content_part.done', ...ids, part: { type: 'audio', transcript: finalText } });
    item.content = [{ type: names.audioContent, transcript: finalText }];
  } else {
    events.send({ type: names.textDone, ...ids, text: finalText });
    events.send({ type: 'response.content_part.done', ...ids, part: { type: 'text', text: finalText } });
    item.content = [{ type: names.textContent, text: finalText }];
  }
  run.outputTokens += sentWords;
  item.status = run.cancelReason ? 'incomplete' : 'completed';
  conversation.finishOutput(run, item, outputIndex, previous);
  return false;
}
