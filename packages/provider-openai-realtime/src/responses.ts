import {
  type AudioFormat,
  type InterruptOptions,
  type InterruptResult,
  type ResponseStatus,
  S2SError,
  type S2SEvent,
  type TokenUsage,
} from '@beluga-voice/core';
import type { Span } from '@opentelemetry/api';
import type { SchedulerLike } from 'rxjs';
import type { TurnDetection } from './config.js';
import type { ConversationLog } from './conversation-log.js';
import { errorFromServerEvent } from './errors.js';
import { OutputTimeline } from './output-timeline.js';
import { ResponseAudio } from './response-audio.js';
import { ResponseWatchdog } from './response-watchdog.js';
import { endSpan, type RealtimeTelemetry } from './telemetry.js';
import type { ClientEvent } from './wire/client-events.js';
import { responseIdOf, type ServerEvent, type ServerResponse } from './wire/server-events.js';

const WHO = 'provider.openai-realtime';

interface ActiveResponse {
  readonly id: string;
  readonly startedAt: number;
  readonly span: Span;
  readonly audio: ResponseAudio;
  firstAudio: boolean;
  /** Set by `interrupt`: audio and transcript deltas are dropped until `response.done`. */
  dropping: boolean;
}

/** What the responses need from the session. */
export interface ResponsesHost {
  readonly format: AudioFormat;
  readonly scheduler: SchedulerLike;
  readonly telemetry: RealtimeTelemetry;
  readonly log: ConversationLog;
  readonly turnDetection: TurnDetection;
  readonly responseTimeoutMs: number;
  /** A socket with a set-up session is there: a `response.create` may go out. */
  open(): boolean;
  send(event: ClientEvent): void;
  emit(event: S2SEvent): void;
  debug(message: string): void;
  /** Tool calls of the latest calling response still wait for results: no follow-up yet. */
  awaitingToolResults(): boolean;
}

/**
 * The assistant's responses, one at a time: the single queued `response.create`, the active
 * response's audio and transcripts (dropped once interrupted), its end, the stall watchdog, and
 * barge-in, which cuts the server's conversation where the user stopped hearing it.
 */
export class Responses {
  private active: ActiveResponse | undefined;
  /** The latest response that produced audio: playback may outlast its generation. */
  private playing: ActiveResponse | undefined;
  private requested = false;
  private wanted = false;
  /** The server's VAD hears the user speak (it then cancels a reply by itself, if so configured). */
  private serverSpeech = false;
  private readonly timeline: OutputTimeline;
  private readonly watchdog: ResponseWatchdog;

  constructor(private readonly host: ResponsesHost) {
    this.timeline = new OutputTimeline(host.format);
    this.watchdog = new ResponseWatchdog(host.scheduler, host.responseTimeoutMs, () => this.stalled());
  }

  /** A reply is wanted: sent now, or as soon as nothing blocks it. */
  request(): void {
    this.wanted = true;
    this.flush();
  }

  /** Sends the one queued `response.create` once nothing is active and every tool call of the last response is answered. */
  flush(): void {
    if (!this.wanted || !this.host.open() || this.active || this.requested) return;
    if (this.host.awaitingToolResults()) return;
    this.wanted = false;
    this.requested = true;
    this.host.send({ type: 'response.create' });
    this.watchdog.progress();
  }

  /** A server event arrived: progress of the guarded response (or the answer to its request) resets the watchdog. */
  observe(event: ServerEvent): void {
    if (this.guards(event)) this.watchdog.progress();
  }

  /** The event was handled: with nothing requested or active, the watchdog rests. */
  settle(): void {
    if (!this.active && !this.requested) this.watchdog.stop();
  }

  speech(speaking: boolean): void {
    this.serverSpeech = speaking;
  }

  /** The server refused a `response.create` because one of its own (server VAD) is active. */
  alreadyActive(): void {
    this.requested = false;
    this.host.debug('response.create skipped: a response is already active');
  }

  /** The span of `responseId` while it is the active response. */
  spanOf(responseId: string): Span | undefined {
    return this.active?.id === responseId ? this.active.span : undefined;
  }

  created(id: string): void {
    const previous = this.active;
    if (previous?.id === id) {
      this.host.debug(`duplicate response.created for ${id} ignored`);
      return;
    }
    if (previous) {
      // The protocol has one response at a time: a second one means the first's response.done was
      // lost or comes late. End the first now, or it would stay active (and block the drain) forever.
      this.host.emit({
        type: 'warning',
        code: 'protocol-order',
        message: `${WHO}: response ${id} was created before response ${previous.id} was done; ending ${previous.id} as incomplete`,
      });
      this.end('incomplete', 'superseded by another response');
    }
    this.requested = false;
    this.active = {
      id,
      startedAt: this.host.scheduler.now(),
      span: this.host.telemetry.responseSpan(id),
      audio: new ResponseAudio(id, this.host.format),
      firstAudio: false,
      dropping: false,
    };
    this.host.emit({ type: 'response-start', responseId: id });
  }

  audioDelta(responseId: string, itemId: string, contentIndex: number, base64: string): void {
    const response = this.active;
    if (!response || response.id !== responseId || response.dropping) return;
    const usable = this.timeline.decode(base64);
    if (!usable) return;
    if (!response.firstAudio) {
      response.firstAudio = true;
      this.playing = response;
      const ms = this.host.scheduler.now() - response.startedAt;
      this.host.telemetry.recordFirstAudio(ms);
      response.span.setAttribute('openai_realtime.time_to_first_audio_ms', ms);
    }
    response.audio.add(itemId, contentIndex, usable.byteLength);
    const frame = this.timeline.frame(usable, responseId);
    this.host.emit({ type: 'audio', responseId, itemId, frame });
  }

  transcriptDelta(responseId: string, itemId: string, text: string): void {
    if (this.active?.id === responseId && this.active.dropping) return;
    this.host.emit({ type: 'transcript', role: 'assistant', text, final: false, itemId, responseId });
  }

  transcriptDone(responseId: string, itemId: string, text: string): void {
    this.host.log.setText(itemId, 'assistant', text);
    if (this.active?.id === responseId && this.active.audio.interrupted) return;
    this.host.emit({ type: 'transcript', role: 'assistant', text, final: true, itemId, responseId });
  }

  done(response: ServerResponse): void {
    const active = this.active;
    if (!active || active.id !== response.id) {
      this.host.debug(`response.done for unknown response ${response.id}`);
      return;
    }
    this.active = undefined;
    const status: ResponseStatus = response.status === 'in_progress' ? 'incomplete' : response.status;
    const usage = toUsage(response.usage);
    if (usage) this.host.telemetry.recordUsage(usage, active.span);
    active.span.setAttribute('openai_realtime.status', status);
    const failure = response.status_details?.error;
    endSpan(active.span, status === 'failed' ? (failure?.code ?? failure?.type ?? 'failed') : undefined);
    if (status === 'failed' && failure) {
      this.host.emit({
        type: 'error',
        error: errorFromServerEvent({
          type: failure.type ?? 'server_error',
          code: failure.code,
          message: failure.message ?? `response ${response.id} failed`,
        }),
      });
    }
    this.host.emit({ type: 'response-done', responseId: response.id, status, ...(usage ? { usage } : {}) });
    this.flush();
  }

  /** Barge-in at `options.playedMs`: stops the generation and cuts the conversation to what was heard. */
  interrupt(options?: InterruptOptions): InterruptResult | null {
    const silent = this.active;
    if (silent && silent !== this.playing && !silent.dropping) {
      // Still generating, no audio yet (a stall, or speech before the first delta): nothing to
      // truncate, but the generation must stop and its late deltas be dropped.
      silent.dropping = true;
      silent.audio.interrupted = true;
      if (!this.serverCancelsItself()) this.host.send({ type: 'response.cancel', response_id: silent.id });
      this.host.emit({ type: 'interrupted', responseId: silent.id, playedMs: 0 });
      return { responseId: silent.id, playedMs: 0 };
    }
    const response = this.playing;
    if (!response || response.audio.interrupted) return null;
    const isActive = this.active === response;
    const plan = response.audio.cutAt(options?.playedMs, isActive);
    if (!isActive && plan.playedMs >= response.audio.receivedMs) return null;
    response.audio.interrupted = true;
    this.timeline.cut();
    if (isActive) {
      response.dropping = true;
      if (!this.serverCancelsItself()) this.host.send({ type: 'response.cancel', response_id: response.id });
    }
    if (plan.truncate) {
      const { itemId, contentIndex, audioEndMs, fraction } = plan.truncate;
      this.host.send({
        type: 'conversation.item.truncate',
        item_id: itemId,
        content_index: contentIndex,
        audio_end_ms: audioEndMs,
      });
      this.host.log.cut(itemId, fraction);
    }
    for (const itemId of plan.remove) {
      this.host.send({ type: 'conversation.item.delete', item_id: itemId });
      this.host.log.remove(itemId);
    }
    this.host.emit({ type: 'interrupted', responseId: response.id, playedMs: plan.playedMs });
    return { responseId: response.id, playedMs: plan.playedMs };
  }

  /** The socket went away mid-response: report it ended and ask the next socket to answer. */
  abandon(): void {
    this.requested = false;
    // Its items die with the old socket: nothing left there to truncate.
    this.playing = undefined;
    if (this.end('incomplete', 'connection lost')) this.wanted = true;
  }

  /** The session closed: no timer may outlive it. */
  stopWatchdog(): void {
    this.watchdog.stop();
  }

  /** Ends the active response before its `response.done` (which is ignored if it comes later). */
  end(status: ResponseStatus, reason: string): boolean {
    const active = this.active;
    if (!active) return false;
    this.active = undefined;
    endSpan(active.span, reason);
    this.host.emit({ type: 'response-done', responseId: active.id, status });
    return true;
  }

  /** Whether `event` is progress of the response the watchdog guards (or the answer to its request). */
  private guards(event: ServerEvent): boolean {
    // A new response becomes the guarded one.
    if (event.type === 'response.created') return true;
    const id = responseIdOf(event);
    return id !== undefined && id === this.active?.id;
  }

  private serverCancelsItself(): boolean {
    const td = this.host.turnDetection;
    return td.type !== 'none' && td.interruptResponse && this.serverSpeech;
  }

  /** The watchdog saw no progress for `responseTimeoutMs`: report it and give the response up. */
  private stalled(): void {
    if (!this.active && !this.requested) return;
    const active = this.active;
    this.requested = false;
    this.host.emit({
      type: 'error',
      error: new S2SError(
        'timeout',
        `${WHO}: no reply from the server for ${this.host.responseTimeoutMs} ms${active ? ` (response ${active.id})` : ''}`,
      ),
    });
    this.end('failed', 'timeout');
  }
}

function toUsage(usage: ServerResponse['usage']): TokenUsage | undefined {
  if (!usage) return undefined;
  const inputTokens = usage.input_tokens ?? 0;
  const outputTokens = usage.output_tokens ?? 0;
  return { inputTokens, outputTokens, totalTokens: usage.total_tokens ?? inputTokens + outputTokens };
}
