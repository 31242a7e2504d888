import type { AudioFrame } from '../frames.js';
import { audioDurationMs } from '../frames.js';
import type { NodeContext } from '../node.js';
import { ResponseLedger, type ResponseRecord } from './response-ledger.js';
import type { S2SEvent } from './s2s.js';
import type { SessionReports } from './session-reports.js';
import type { SessionTrace } from './session-trace.js';
import { TurnTracker } from './turn-tracker.js';

/**
 * What the provider node knows about its conversation: each response (audio passed on and played,
 * interruptions), each turn's latency and spans, the tool calls in flight, and whether a reply is
 * still owed. It records and reports; the bridge decides what to send and when to close.
 */
export class ConversationState {
  private readonly ledger = new ResponseLedger();
  private readonly turns: TurnTracker;
  private readonly pendingCalls = new Set<string>();
  private lastTurnEndAt: number | undefined;
  /** The user finished a turn, sent text or answered every tool call, and no response has started since. */
  private awaitingResponse = false;

  constructor(
    ctx: NodeContext,
    private readonly trace: SessionTrace,
    private readonly reports: SessionReports,
  ) {
    this.turns = new TurnTracker(ctx, () => trace.context);
  }

  /** Whether a provider event of `responseId` still counts for its stall watch: not over, not stopped. */
  watched(responseId: string): boolean {
    const record = this.ledger.get(responseId);
    return record?.active !== false && !record?.interrupted;
  }

  responseStarted(responseId: string, now: number): void {
    this.ledger.start(responseId, now);
    this.turns.responseStarted(responseId);
    this.awaitingResponse = false;
    this.trace.responseStarted(responseId, this.turns.contextOf(responseId));
    this.reports.responseStarted(responseId);
  }

  /** Records a frame of `responseId`'s audio; false when the response was interrupted (drop the frame). */
  audio(responseId: string, frame: AudioFrame, now: number): boolean {
    const record = this.ledger.ensure(responseId, now);
    if (record.interrupted) return false;
    if (record.firstAudioAt === undefined) {
      record.firstAudioAt = now;
      this.turns.firstAudio(responseId, now);
      const sinceTurnEnd = this.lastTurnEndAt === undefined ? undefined : now - this.lastTurnEndAt;
      this.reports.firstAudio(responseId, now - record.startedAt, sinceTurnEnd);
    }
    record.receivedMs += audioDurationMs(frame);
    return true;
  }

  responseDone(event: Extract<S2SEvent, { type: 'response-done' }>, now: number): void {
    const record = this.ledger.ensure(event.responseId, now);
    record.active = false;
    this.turns.responseDone(event.responseId, event.status);
    this.trace.responseDone(event.responseId, event.status);
    this.reports.responseDone(event, record, now);
  }

  playout(responseId: string, playedMs: number, final: boolean, now: number): void {
    this.ledger.playout(responseId, playedMs, final);
    this.turns.playout(responseId, playedMs, final, now);
  }

  /** The response a barge-in would stop (still generating, or with audio not yet played). */
  playing(): string | undefined {
    return this.ledger.interruptible()?.id;
  }

  /** The user barged in: marks the playing response interrupted and returns it, if one plays. */
  bargeIn(now: number): string | undefined {
    const record = this.ledger.interruptible();
    if (!record) return undefined;
    record.interrupted = true;
    this.turns.bargedIn(record.id, now);
    return record.id;
  }

  /** The barge-in's interrupt went through: its reaction time ends here unless a pacer reported it. */
  interruptDone(responseId: string, now: number): void {
    this.turns.interruptDone(responseId, now);
  }

  /**
   * Marks `responseId` (or the playing response) interrupted and returns how much of it was played,
   * to truncate it there; undefined when there is no such response.
   */
  interrupt(responseId: string | undefined): number | undefined {
    const record: ResponseRecord | undefined =
      responseId === undefined ? this.ledger.interruptible() : this.ledger.get(responseId);
    if (!record) return undefined;
    record.interrupted = true;
    const playedMs = Math.min(record.playedMs ?? record.receivedMs, record.receivedMs);
    this.reports.interrupted(record.id, playedMs, record.receivedMs);
    return playedMs;
  }

  /** The user's turn ended: a reply is owed, and the next response's latency counts from `now`. */
  turnEnded(now: number): void {
    this.lastTurnEndAt = now;
    this.turns.userSpeechEnded(now);
    this.awaitingResponse = true;
  }

  /** Text or an idle prompt went to the session: a reply is owed. */
  replyRequested(): void {
    this.awaitingResponse = true;
  }

  toolCalled(id: string): void {
    this.pendingCalls.add(id);
  }

  /** A tool call was answered; once none is left, the model owes its reply. */
  toolAnswered(id: string): void {
    this.pendingCalls.delete(id);
    if (this.pendingCalls.size === 0) this.awaitingResponse = true;
  }

  get toolsRunning(): boolean {
    return this.pendingCalls.size > 0;
  }

  /** Nothing generates, no tool call is open and no reply is owed: a draining session may close. */
  get settled(): boolean {
    return !this.ledger.anyActive && this.pendingCalls.size === 0 && !this.awaitingResponse;
  }

  /** Reports the turns whose generation ended and ends every span. */
  close(): void {
    this.turns.close();
    this.trace.end();
  }
}
