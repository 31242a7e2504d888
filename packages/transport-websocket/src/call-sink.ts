import type { AudioFrame, NodeContext, ResponseDoneFrame } from '@beluga-voice/core';
import { type Observable, Subscription } from 'rxjs';
import { boundCall } from './bound-call.js';
import type { CallProtocol } from './call-connection.js';

/**
 * What both transport sinks do: send the agent's audio to the caller, report the caller's played
 * position as `playout` control events, and on an interrupt clear the caller's buffer at once and
 * answer with the final position (what the caller actually heard).
 */
export function runCallSink(
  ctx: NodeContext,
  protocol: CallProtocol,
  audio: Observable<AudioFrame>,
  responses: Observable<ResponseDoneFrame>,
): void {
  const call = boundCall(ctx, protocol);
  const subscriptions = new Subscription();
  subscriptions.add(
    call.playout$.subscribe((p) =>
      ctx.control.send({
        type: 'playout',
        responseId: p.responseId,
        playedMs: p.playedMs,
        ...(p.final ? { final: true } : {}),
      }),
    ),
  );
  subscriptions.add(
    ctx.control.events$.subscribe((event) => {
      if (event.type === 'interrupt') call.clear();
    }),
  );
  subscriptions.add(responses.subscribe((frame) => call.responseDone(frame.responseId)));
  subscriptions.add(audio.subscribe((frame) => call.play(frame)));
  ctx.onClose(() => subscriptions.unsubscribe());
}
