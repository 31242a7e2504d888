import { type Context, type Histogram, type Span, trace } from '@opentelemetry/api';
import type { NodeContext } from '../node.js';
import { loopLagMs } from '../runtime/clock.js';

interface TurnRecord {
  readonly responseId: string;
  readonly span: Span;
  /** When the user's speech ended, for the first response after a user turn. */
  readonly userSpeechEndAt?: number;
  firstAudioAt?: number;
  /** The event loop's lag when the first audio was handled: how long it may have waited unread. */
  loopLagMs?: number;
  firstPlayoutAt?: number;
  /** A node reported this response's playout (even at 0 ms): the turn waits for it to play out. */
  playoutReported?: boolean;
  bargeInAt?: number;
  reactionMs?: number;
  playedMs: number;
  /** Set at response-done; the turn ends once its audio has also finished playing. */
  status?: string;
  playoutFinal: boolean;
}

/** Turns kept while they wait for their playout (a node without a pacer never reports one). */
const KEPT_TURNS = 16;

const METRICS = {
  voiceToVoice: 'turn.voice_to_voice',
  providerFirstAudio: 'turn.provider_first_audio',
  frameworkLatency: 'turn.framework_latency',
  interruptReaction: 'turn.interrupt_reaction',
  loopLag: 'turn.loop_lag',
} as const;

/**
 * Per-turn latency: user speech end → first assistant audio leaving the pacer (voice to voice),
 * → first provider audio (provider time to first audio), provider audio arriving → leaving the
 * pacer (what the framework adds; pacing excluded since the first frame of a reply is never
 * waiting behind earlier audio), and barge-in → flush (interrupt reaction). Beside framework
 * latency, the event loop's lag when the first audio was handled (loop lag): an overloaded process
 * reads replies late, which framework latency alone cannot see. Each goes to the bus
 * as a metric, to OpenTelemetry as a histogram, and onto a `beluga.turn` span.
 */
export class TurnTracker {
  private readonly turns = new Map<string, TurnRecord>();
  private pendingSpeechEnd: number | undefined;
  private readonly histograms: Record<keyof typeof METRICS, Histogram>;

  constructor(
    private readonly ctx: NodeContext,
    /** Parent of each turn's span (the provider session's). */
    private readonly parent: () => Context,
  ) {
    const h = (name: string, description: string) =>
      ctx.meter.createHistogram(`beluga.${name}`, { unit: 'ms', description });
    this.histograms = {
      voiceToVoice: h(METRICS.voiceToVoice, 'User speech end to first assistant audio played'),
      providerFirstAudio: h(METRICS.providerFirstAudio, 'User speech end to first provider audio'),
      frameworkLatency: h(METRICS.frameworkLatency, 'Provider audio arrival to that audio leaving the pacer'),
      interruptReaction: h(METRICS.interruptReaction, 'Barge-in to the assistant audio being flushed'),
      loopLag: h(
        METRICS.loopLag,
        'Event-loop lag when the first provider audio was handled (time it may have waited unread)',
      ),
    };
  }

  userSpeechEnded(at: number): void {
    this.pendingSpeechEnd = at;
  }

  responseStarted(responseId: string): void {
    if (this.turns.has(responseId)) return;
    const userSpeechEndAt = this.pendingSpeechEnd;
    this.pendingSpeechEnd = undefined;
    const span = this.ctx.tracer.startSpan(
      'beluga.turn',
      { attributes: { 'beluga.node': this.ctx.id, 'beluga.response_id': responseId } },
      this.parent(),
    );
    this.turns.set(responseId, {
      responseId,
      span,
      ...(userSpeechEndAt === undefined ? {} : { userSpeechEndAt }),
      playedMs: 0,
      playoutFinal: false,
    });
    if (this.turns.size > KEPT_TURNS) this.finish(this.turns.values().next().value as TurnRecord);
  }

  firstAudio(responseId: string, at: number): void {
    this.responseStarted(responseId);
    const turn = this.turns.get(responseId) as TurnRecord;
    turn.firstAudioAt = at;
    if (turn.userSpeechEndAt !== undefined) this.record(turn, 'providerFirstAudio', at - turn.userSpeechEndAt);
    // Framework latency starts once the audio is read; under overload it also sat unread for about the loop's lag.
    const lag = loopLagMs(this.ctx.scheduler);
    if (lag !== undefined) {
      turn.loopLagMs = lag;
      this.record(turn, 'loopLag', lag);
    }
  }

  playout(responseId: string, playedMs: number, final: boolean, at: number): void {
    const turn = this.turns.get(responseId);
    if (!turn) return;
    turn.playedMs = playedMs;
    turn.playoutReported = true;
    if (turn.firstPlayoutAt === undefined && playedMs > 0) {
      turn.firstPlayoutAt = at;
      if (turn.firstAudioAt !== undefined) this.record(turn, 'frameworkLatency', at - turn.firstAudioAt);
      if (turn.userSpeechEndAt !== undefined) this.record(turn, 'voiceToVoice', at - turn.userSpeechEndAt);
    }
    if (final && turn.bargeInAt !== undefined && turn.reactionMs === undefined) {
      this.record(turn, 'interruptReaction', at - turn.bargeInAt);
    }
    if (final) {
      turn.playoutFinal = true;
      if (turn.status !== undefined) this.finish(turn);
    }
  }

  /** The context of the turn a response belongs to, to parent the response's spans on. */
  contextOf(responseId: string): Context | undefined {
    const turn = this.turns.get(responseId);
    return turn ? trace.setSpan(this.parent(), turn.span) : undefined;
  }

  bargedIn(responseId: string, at: number): void {
    const turn = this.turns.get(responseId);
    if (turn && turn.bargeInAt === undefined) turn.bargeInAt = at;
  }

  /** The interrupt went through with no pacer to report a flush: the reaction ends here. */
  interruptDone(responseId: string, at: number): void {
    const turn = this.turns.get(responseId);
    if (turn?.bargeInAt !== undefined && turn.reactionMs === undefined)
      this.record(turn, 'interruptReaction', at - turn.bargeInAt);
  }

  /** Generation ended; the turn is reported now, or once its audio has played if a pacer plays it. */
  responseDone(responseId: string, status: string): void {
    const turn = this.turns.get(responseId);
    if (!turn) return;
    turn.status = status;
    if (!turn.playoutReported || turn.playoutFinal) this.finish(turn);
  }

  private finish(turn: TurnRecord): void {
    const { responseId } = turn;
    const status = turn.status ?? 'incomplete';
    this.turns.delete(responseId);
    const ms = (from?: number, to?: number) => (from !== undefined && to !== undefined ? to - from : undefined);
    const data = {
      responseId,
      status,
      interrupted: turn.bargeInAt !== undefined,
      playedMs: turn.playedMs,
      voiceToVoiceMs: ms(turn.userSpeechEndAt, turn.firstPlayoutAt),
      providerFirstAudioMs: ms(turn.userSpeechEndAt, turn.firstAudioAt),
      frameworkLatencyMs: ms(turn.firstAudioAt, turn.firstPlayoutAt),
      interruptReactionMs: turn.reactionMs,
      loopLagMs: turn.loopLagMs,
    };
    this.ctx.emit({ type: 'mark', name: 'turn', data });
    turn.span.setAttribute('beluga.turn.status', status);
    turn.span.setAttribute('beluga.turn.interrupted', data.interrupted);
    turn.span.setAttribute('beluga.turn.played_ms', turn.playedMs);
    turn.span.end();
  }

  /**
   * The session closed: report the turns whose generation ended (their last playout may never
   * come once the node is gone) and end the spans of the rest.
   */
  close(): void {
    for (const turn of [...this.turns.values()]) {
      if (turn.status !== undefined) this.finish(turn);
      else turn.span.end();
    }
    this.turns.clear();
  }

  private record(turn: TurnRecord, metric: keyof typeof METRICS, value: number): void {
    if (metric === 'interruptReaction') turn.reactionMs = value;
    const name = METRICS[metric];
    this.ctx.emit({ type: 'metric', name, value, unit: 'ms', attributes: { responseId: turn.responseId } });
    this.histograms[metric].record(value);
    turn.span.setAttribute(`beluga.${name}_ms`, value);
  }
}
