import { type Subscription, timer } from 'rxjs';
import type { NodeContext } from '../node.js';
import type { ConversationConfig } from './conversation-config.js';

export interface GuardActions {
  /** A real interruption: stop and truncate the response. */
  bargeIn(): void;
  /** The idle timeout fired with nothing playing: prompt the model, or end the session. */
  idle(action: 'prompt' | 'end'): void;
  /** No provider event for `stallTimeoutMs` during `responseId`. */
  stalled(responseId: string): void;
  /** True while a response generates or plays (idle waits for it). */
  busy(): boolean;
}

/**
 * Timers for conversation behaviour: short user noises that only pause the reply (false
 * interruptions), the idle timeout, and stalled responses. All timing runs on the node's scheduler.
 */
export class ConversationGuard {
  private held: { responseId: string; timer: Subscription } | undefined;
  private idleTimer: Subscription | undefined;
  private stallTimer: { responseId: string; timer: Subscription } | undefined;
  /** Idle prompts sent since the user last spoke. */
  private prompts = 0;

  constructor(
    private readonly config: ConversationConfig,
    private readonly ctx: NodeContext,
    private readonly actions: GuardActions,
  ) {}

  /** The user started speaking over `responseId`: interrupt now, or hold and wait to see. */
  speechStarted(responseId: string | undefined): void {
    this.prompts = 0;
    this.activity();
    if (responseId === undefined) return;
    const wait = this.config.falseInterruptionMs;
    if (wait === undefined) {
      this.actions.bargeIn();
      return;
    }
    if (this.held) return;
    this.ctx.control.send({ type: 'pause', responseId });
    this.held = {
      responseId,
      timer: timer(wait, this.ctx.scheduler).subscribe(() => {
        this.held = undefined;
        this.actions.bargeIn();
      }),
    };
  }

  /**
   * The user stopped speaking. Returns true when that speech was a false interruption: the reply
   * resumes, and the caller must not treat it as the end of a user turn.
   */
  speechStopped(): boolean {
    this.activity();
    const held = this.held;
    if (!held) return false;
    held.timer.unsubscribe();
    this.held = undefined;
    this.ctx.control.send({ type: 'resume', responseId: held.responseId });
    this.ctx.emit({ type: 'mark', name: 'false-interruption', data: { responseId: held.responseId } });
    return true;
  }

  /** Anything that shows the conversation is alive restarts the idle timeout. */
  activity(): void {
    const limit = this.config.idleTimeoutMs;
    if (limit === undefined) return;
    this.idleTimer?.unsubscribe();
    this.idleTimer = timer(limit, this.ctx.scheduler).subscribe(() => {
      this.idleTimer = undefined;
      if (this.actions.busy()) {
        this.activity();
        return;
      }
      const prompt = this.config.idleAction === 'prompt' && this.prompts < this.config.maxIdlePrompts;
      this.ctx.emit({
        type: 'warning',
        code: 'idle-timeout',
        message: `${this.ctx.type} "${this.ctx.id}": no speech or reply for ${limit} ms (${prompt ? 'prompt' : 'end'})`,
      });
      if (prompt) this.prompts++;
      this.actions.idle(prompt ? 'prompt' : 'end');
    });
  }

  /** A provider event for `responseId` (or the start of one): restarts its stall timeout. */
  responseActivity(responseId: string): void {
    const limit = this.config.stallTimeoutMs;
    if (limit === undefined) return;
    this.stallTimer?.timer.unsubscribe();
    this.stallTimer = {
      responseId,
      timer: timer(limit, this.ctx.scheduler).subscribe(() => {
        this.stallTimer = undefined;
        this.ctx.emit({
          type: 'warning',
          code: 'provider-stalled',
          message: `${this.ctx.type} "${this.ctx.id}": response ${responseId} sent nothing for ${limit} ms (${this.config.stallAction})`,
        });
        this.actions.stalled(responseId);
      }),
    };
  }

  responseDone(responseId: string): void {
    if (this.stallTimer?.responseId === responseId) {
      this.stallTimer.timer.unsubscribe();
      this.stallTimer = undefined;
    }
    this.activity();
  }

  close(): void {
    this.held?.timer.unsubscribe();
    this.idleTimer?.unsubscribe();
    this.stallTimer?.timer.unsubscribe();
    this.held = undefined;
    this.idleTimer = undefined;
    this.stallTimer = undefined;
  }
}
