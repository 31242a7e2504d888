import {
  type AudioFrame,
  audioDurationMs,
  bytesToSamples,
  endSpan,
  type HistoryItem,
  type InterruptOptions,
  type InterruptResult,
  type Logger,
  type ResponseStatus,
  S2SError,
  type S2SEvent,
  type TokenUsage,
} from '@beluga-voice/core';
import type { Span } from '@opentelemetry/api';
import { GEMINI_OUTPUT_FORMAT } from './config.js';
import { WHO } from './errors.js';
import { ModelTurn, UserTranscript } from './model-turn.js';
import type { GeminiTelemetry } from './telemetry.js';
import { type FunctionCall, pcmRate, type ServerMessage } from './wire/server-messages.js';

export interface ModelTurnsDeps {
  readonly sessionId: string;
  readonly emit: (event: S2SEvent) => void;
  readonly telemetry: GeminiTelemetry;
  readonly logger: Logger;
  readonly now: () => number;
  /** The conversation as text, for replay: this class adds the transcripts and tool calls. */
  readonly log: HistoryItem[];
  /** Media time of the user audio sent so far (where a server-detected barge-in happened). */
  readonly inputPositionMs: () => number;
}

interface ToolCall {
  readonly name: string;
  readonly span: Span;
  answered: boolean;
  cancelled: boolean;
}

/**
 * Turns the server's content into responses: Gemini has no response ids, so each model turn gets
 * one here, with its audio, transcripts, tool calls, usage and status.
 */
export class ModelTurns {
  private turn: ModelTurn | undefined;
  private readonly user = new UserTranscript();
  private readonly toolCalls = new Map<string, ToolCall>();
  private responseSeq = 0;
  private outputPositionMs = 0;
  private discontNext = false;
  private usage: TokenUsage | undefined;
  /** When the client last asked for an answer: time to first audio counts from it. */
  private awaitingSince: number | undefined;

  constructor(private readonly deps: ModelTurnsDeps) {}

  get active(): boolean {
    return this.turn !== undefined;
  }

  /** The client asked for an answer (text, tool result, end of activity). */
  answerRequested(): void {
    this.awaitingSince ??= this.deps.now();
  }

  setUsage(meta: NonNullable<ServerMessage['usageMetadata']>): void {
    const inputTokens = meta.promptTokenCount ?? 0;
    const outputTokens = meta.responseTokenCount ?? 0;
    this.usage = { inputTokens, outputTokens, totalTokens: meta.totalTokenCount ?? inputTokens + outputTokens };
  }

  /** Returns true when the content completed the model's turn. */
  onServerContent(content: NonNullable<ServerMessage['serverContent']>): boolean {
    const heard = content.inputTranscription?.text;
    if (heard) {
      // Server activity detection: the transcription is the first sign that the user's turn ended.
      this.answerRequested();
      this.user.add(heard);
      this.deps.emit({ type: 'transcript', role: 'user', text: heard, final: false });
    }
    for (const part of content.modelTurn?.parts ?? []) {
      if (part.inlineData?.data) this.onAudio(part.inlineData.data, part.inlineData.mimeType);
    }
    const said = content.outputTranscription?.text;
    if (said) {
      const turn = this.ensureTurn();
      turn.transcript += said;
      if (!turn.dropping)
        this.deps.emit({ type: 'transcript', role: 'assistant', text: said, final: false, responseId: turn.id });
    }
    if (content.interrupted) {
      // The service heard the user over its reply and stopped it (barge-in by server VAD).
      this.deps.emit({ type: 'speech-start', timestamp: this.deps.inputPositionMs() });
      this.finish('cancelled');
    }
    if (content.turnComplete) this.finish('completed');
    return content.turnComplete === true;
  }

  onToolCall(calls: readonly FunctionCall[]): void {
    const turn = this.ensureTurn();
    for (const call of calls) {
      if (!call.id || !call.name) {
        this.deps.logger.warn(`function call without ${call.id ? 'a name' : 'an id'} ignored`);
        continue;
      }
      if (this.toolCalls.has(call.id)) continue;
      const args = JSON.stringify(call.args ?? {});
      this.toolCalls.set(call.id, {
        name: call.name,
        span: this.deps.telemetry.toolSpan(call.id, call.name),
        answered: false,
        cancelled: false,
      });
      this.deps.log.push({ type: 'tool-call', id: call.id, name: call.name, arguments: args });
      this.deps.emit({ type: 'tool-call', id: call.id, name: call.name, arguments: args, responseId: turn.id });
    }
    // The model waits for the results: this response is over, the next one carries the answer.
    this.finish('completed');
  }

  onToolCallCancellation(ids: readonly string[]): void {
    const withdrawn: string[] = [];
    for (const id of ids) {
      const call = this.toolCalls.get(id);
      if (!call || call.answered || call.cancelled) continue;
      call.cancelled = true;
      withdrawn.push(id);
      endSpan(call.span, 'cancelled by the server');
      this.deps.logger.info(`tool call ${id} (${call.name}) cancelled by the server; its result will not be sent`);
    }
    // The tool router stops the running tools (a `cancel-tool-calls` control event).
    if (withdrawn.length > 0) this.deps.emit({ type: 'tool-calls-cancelled', ids: withdrawn });
  }

  /** Checks a tool result; returns the function's name when it should go to the server. */
  toolResult(result: { id: string; output: string; isError?: boolean }): string | undefined {
    const call = this.toolCalls.get(result.id);
    if (!call) throw new S2SError('unknown-tool-call', `${WHO}: no tool call with id "${result.id}" in this session`);
    if (call.answered) throw new S2SError('unknown-tool-call', `${WHO}: tool call "${result.id}" was already answered`);
    call.answered = true;
    if (call.cancelled) {
      this.deps.logger.debug(`result of cancelled tool call ${result.id} not sent`);
      return undefined;
    }
    endSpan(call.span, result.isError ? 'tool reported an error' : undefined);
    this.deps.log.push({ type: 'tool-result', id: result.id, output: result.output });
    this.answerRequested();
    return call.name;
  }

  /**
   * Gemini has no truncate: the reply is cut here (its later audio dropped) and reported with the
   * played position, but the model's context keeps the whole turn it generated.
   */
  interrupt(options?: InterruptOptions): InterruptResult | null {
    const turn = this.turn;
    if (!turn || turn.reported) return null;
    const playedMs = Math.max(0, Math.min(options?.playedMs ?? turn.receivedMs, turn.receivedMs));
    turn.dropping = true;
    this.discontNext = true;
    this.reportDone(turn, 'cancelled');
    this.deps.emit({ type: 'interrupted', responseId: turn.id, playedMs });
    return { responseId: turn.id, playedMs };
  }

  /** Ends the current turn, if any, with `status` (once: a turn already reported only leaves). */
  finish(status: ResponseStatus): void {
    const turn = this.turn;
    this.turn = undefined;
    if (!turn) return;
    // The service keeps the whole turn in its context, interrupted or not: so does the replay log.
    if (turn.transcript) this.deps.log.push({ type: 'message', role: 'assistant', text: turn.transcript });
    if (turn.reported) return;
    if (turn.transcript && !turn.dropping)
      this.deps.emit({
        type: 'transcript',
        role: 'assistant',
        text: turn.transcript,
        final: true,
        responseId: turn.id,
      });
    this.reportDone(turn, status);
  }

  /** The session closes: the turn is cancelled, unanswered calls' spans end. */
  close(): void {
    this.finish('cancelled');
    for (const call of this.toolCalls.values())
      if (!call.answered && !call.cancelled) endSpan(call.span, 'session closed');
  }

  private onAudio(base64: string, mimeType: string | undefined): void {
    const rate = pcmRate(mimeType);
    if (rate !== GEMINI_OUTPUT_FORMAT.sampleRate) {
      this.deps.logger.warn(`model audio in ${mimeType ?? 'no MIME type'} ignored (expected audio/pcm;rate=24000)`);
      return;
    }
    const turn = this.ensureTurn();
    if (turn.dropping) return;
    const bytes = Buffer.from(base64, 'base64');
    const usable = bytes.subarray(0, bytes.byteLength - (bytes.byteLength % 2));
    if (usable.byteLength === 0) return;
    if (!turn.firstAudio) {
      turn.firstAudio = true;
      const ms = this.deps.now() - turn.startedAt;
      this.deps.telemetry.recordFirstAudio(ms);
      turn.span.setAttribute('gemini_live.time_to_first_audio_ms', ms);
    }
    const frame: AudioFrame = {
      kind: 'audio',
      timestamp: this.outputPositionMs,
      format: GEMINI_OUTPUT_FORMAT,
      samples: bytesToSamples('pcm16', usable),
      responseId: turn.id,
      ...(this.discontNext ? { discont: true } : {}),
    };
    this.discontNext = false;
    const ms = audioDurationMs(frame);
    this.outputPositionMs += ms;
    turn.receivedMs += ms;
    this.deps.emit({ type: 'audio', responseId: turn.id, frame });
  }

  private ensureTurn(): ModelTurn {
    if (this.turn) return this.turn;
    const heard = this.user.take();
    if (heard) {
      this.deps.log.push({ type: 'message', role: 'user', text: heard });
      this.deps.emit({ type: 'transcript', role: 'user', text: heard, final: true });
    }
    const id = `resp_${this.deps.sessionId}_${++this.responseSeq}`;
    this.turn = new ModelTurn(id, this.deps.telemetry.responseSpan(id), this.awaitingSince ?? this.deps.now());
    this.awaitingSince = undefined;
    this.usage = undefined;
    this.deps.emit({ type: 'response-start', responseId: id });
    return this.turn;
  }

  private reportDone(turn: ModelTurn, status: ResponseStatus): void {
    turn.reported = true;
    const usage = this.usage;
    if (usage) this.deps.telemetry.recordUsage(usage, turn.span);
    turn.span.setAttribute('gemini_live.status', status);
    endSpan(turn.span, status === 'failed' ? 'failed' : undefined);
    this.deps.emit({ type: 'response-done', responseId: turn.id, status, ...(usage ? { usage } : {}) });
  }
}
