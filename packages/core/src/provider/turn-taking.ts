import type { NodeContext } from '../node.js';
import type { ConversationConfig } from './conversation-config.js';
import { ConversationGuard } from './conversation-guard.js';
import type { ConversationState } from './conversation-state.js';
import type { S2SSession } from './s2s.js';

/** What turn-taking needs of the node's session. */
export interface SessionAccess {
  /** The open session; undefined before it opens and after release. */
  session(): S2SSession | undefined;
  /** Runs a session call; what it throws is reported, not raised. */
  send(call: () => void): void;
  /** Ends the session with an error. */
  fail(message: string): void;
}

/**
 * Who speaks when: user speech over a reply (barge-in, or only a pause within
 * `falseInterruptionMs`), user speech while tools run, interrupts from other nodes, and what the
 * conversation guard's timers do (prompt or end when idle; cancel, end or report a stalled reply).
 */
export class TurnTaking {
  readonly guard: ConversationGuard;

  constructor(
    private readonly ctx: NodeContext,
    private readonly config: ConversationConfig,
    private readonly state: ConversationState,
    private readonly access: SessionAccess,
  ) {
    this.guard = new ConversationGuard(config, ctx, {
      bargeIn: () => this.bargeIn(),
      idle: (action) => this.onIdle(action),
      stalled: (responseId) => this.onStalled(responseId),
      busy: () => state.playing() !== undefined,
    });
  }

  /** Speech over a playing reply interrupts it (or, within `falseInterruptionMs`, only pauses it). */
  userSpeechStarted(): void {
    const playing = this.state.playing();
    // Speech while tools run (and nothing plays) still interrupts: cancellable tools must stop.
    if (playing === undefined && this.state.toolsRunning) {
      this.ctx.control.send({ type: 'interrupt', reason: 'user spoke during a tool call' });
    }
    this.guard.speechStarted(playing);
  }

  /** Truncates `responseId` (or the playing response) in the session at what was played. */
  interrupt(responseId: string | undefined): void {
    const session = this.access.session();
    if (!session) return;
    const playedMs = this.state.interrupt(responseId);
    if (playedMs !== undefined) this.access.send(() => session.interrupt({ playedMs }));
  }

  /**
   * The user started speaking. If a response is still generating or playing: flush downstream
   * first (the pacer answers with its final playout at once), then truncate the session's response
   * at what was actually played, and drop whatever audio of it still arrives.
   */
  private bargeIn(): void {
    const responseId = this.state.bargeIn(this.ctx.now());
    if (responseId === undefined) return;
    this.ctx.control.send({ type: 'interrupt', responseId, reason: 'barge-in' });
    this.interrupt(responseId);
    this.state.interruptDone(responseId, this.ctx.now());
  }

  private onIdle(action: 'prompt' | 'end'): void {
    if (action === 'prompt') {
      const session = this.access.session();
      if (!session) return;
      this.state.replyRequested();
      this.access.send(() => session.sendText(this.config.idlePrompt));
      this.guard.activity();
      return;
    }
    this.ctx.control.send({ type: 'end-session', reason: 'idle timeout' });
  }

  private onStalled(responseId: string): void {
    switch (this.config.stallAction) {
      case 'cancel':
        this.ctx.control.send({ type: 'interrupt', responseId, reason: 'stalled' });
        this.interrupt(responseId);
        return;
      case 'end':
        this.access.fail(`response ${responseId} stalled: no provider event for ${this.config.stallTimeoutMs} ms`);
        return;
      case 'report':
        return;
    }
  }
}
