import type { ConnectionContext } from './connection-context.js';
import type { FaultQueue, ResponseFault } from './faults.js';
import { callFunction } from './function-call-reply.js';
import type { IdleTimeout } from './idle-timeout.js';
import { newId } from './ids.js';
import { type Json, RESPONSE_KEYS, type ResponseRun, renderResponse } from './items.js';
import { chooseReply } from './reply-choice.js';
import { responsePacing, socketBreak } from './response-pacing.js';
import { rateLimitsEvent, responseUsage } from './response-usage.js';
import type { MockReply } from './script.js';
import { paramName } from './session-validation.js';
import { type SocketBreaker, speakReply } from './spoken-reply.js';

export interface ResponseDeps {
  readonly faults: FaultQueue;
  readonly nextResponseIndex: () => number;
  readonly breakSocket: SocketBreaker;
}

/** The responses of one connection, one at a time: created, streamed, cancelled, done (§7.2, §7.4). */
export class ResponseRunner {
  private current: ResponseRun | undefined;
  /** A user turn ended while a response was still winding down: it is answered right after. */
  private replyAfterCurrent = false;

  constructor(
    private readonly ctx: ConnectionContext,
    private readonly idle: IdleTimeout,
    private readonly deps: ResponseDeps,
  ) {}

  get active(): ResponseRun | undefined {
    return this.current;
  }

  /** `response.create`: refused with unknown parameters or while another response is active. */
  create(event: Json, eventId: string | null): void {
    const response = (event.response ?? {}) as Json;
    const unknown = Object.keys(response).find((k) => !RESPONSE_KEYS[this.ctx.protocol].includes(k));
    if (unknown) {
      const param = paramName('response', [unknown]);
      this.ctx.events.error('unknown_parameter', `Unknown parameter: '${param}'.`, { eventId, param });
      return;
    }
    if (this.current) {
      this.ctx.events.error(
        'conversation_already_has_active_response',
        `Conversation already has an active response in progress: ${this.current.id}. Wait until the response is finished before creating a new one.`,
        { eventId },
      );
      return;
    }
    this.start(response);
  }

  /** `response.cancel`: only the active response, and only once. */
  cancel(event: Json, eventId: string | null): void {
    const active = this.current;
    if (!active || active.cancelReason || (typeof event.response_id === 'string' && event.response_id !== active.id)) {
      this.ctx.events.error('response_cancel_not_active', 'Cancellation failed: no active response found', {
        eventId,
      });
      return;
    }
    active.cancelReason = 'client_cancelled';
  }

  /** The user barged in: the active response stops after its current delta. */
  interrupt(): void {
    if (this.current) this.current.cancelReason = 'turn_detected';
  }

  /** A committed user turn asks for an answer: now, or once the active response is done. */
  answerTurn(): void {
    if (this.current) this.replyAfterCurrent = true;
    else this.start({});
  }

  start(overrides: Json): void {
    this.idle.clear();
    const run: ResponseRun = {
      id: newId('resp'),
      status: 'in_progress',
      statusDetails: null,
      output: [],
      outputTokens: 0,
    };
    this.current = run;
    this.ctx.events.send({
      type: 'response.created',
      response: renderResponse(this.ctx.protocol, this.ctx.session, run, null),
    });
    const fault = this.deps.faults.takeForResponse();
    const reply = chooseReply(
      {
        session: this.ctx.session,
        items: this.ctx.conversation.items,
        script: this.ctx.script,
        nextResponseIndex: this.deps.nextResponseIndex,
      },
      overrides,
    );
    void this.generate(run, reply, fault);
  }

  private async generate(run: ResponseRun, reply: MockReply, fault: ResponseFault | undefined): Promise<void> {
    const { ctx } = this;
    if (fault?.type === 'rate-limit') {
      run.status = 'failed';
      run.statusDetails = {
        type: 'failed',
        error: {
          type: 'rate_limit_exceeded',
          code: 'rate_limit_exceeded',
          message: 'Rate limit reached for requests. Please try again in 1s.',
        },
      };
      return this.finish(run);
    }
    const pacing = responsePacing(ctx.script(), fault);
    const breakAfter = socketBreak(fault);
    let outputIndex = 0;
    if (reply.text !== undefined || reply.audio || !reply.functionCall) {
      const broke = await speakReply(ctx, run, reply, outputIndex++, pacing, breakAfter, this.deps.breakSocket);
      if (broke || ctx.events.closed) return;
    }
    if (reply.functionCall && !run.cancelReason) {
      await ctx.timers.pause(pacing.firstAudioLatencyMs);
      if (ctx.events.closed) return;
      callFunction(ctx, run, reply.functionCall.name, reply.functionCall.arguments, outputIndex);
    }
    this.finish(run);
  }

  /** `response.done` then `rate_limits.updated` (§7.2 steps 16–17). */
  private finish(run: ResponseRun): void {
    const { events } = this.ctx;
    if (events.closed || this.current !== run) return;
    this.current = undefined;
    if (run.cancelReason) {
      run.status = 'cancelled';
      run.statusDetails = { type: 'cancelled', reason: run.cancelReason };
    } else if (run.status === 'in_progress') run.status = 'completed';
    const usage = responseUsage(run, this.ctx.conversation.items.length);
    events.send({ type: 'response.done', response: renderResponse(this.ctx.protocol, this.ctx.session, run, usage) });
    events.send(rateLimitsEvent(run, usage));
    if (this.replyAfterCurrent) {
      this.replyAfterCurrent = false;
      this.start({});
      return;
    }
    this.idle.arm(run);
  }
}
