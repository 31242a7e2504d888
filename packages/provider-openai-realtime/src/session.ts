import {
  type AudioFormat,
  type AudioFrame,
  bytesToMs,
  bytesToSamples,
  type ConversationContext,
  formatToString,
  type InterruptOptions,
  type InterruptResult,
  iterateObservable,
  type Logger,
  type ResponseStatus,
  redact,
  S2SError,
  type S2SEvent,
  type S2SSession,
  sameFormat,
  samplesToBytes,
  type TokenUsage,
  type ToolSpec,
} from '@beluga-voice/core';
import type { Span } from '@opentelemetry/api';
import { defer, type Observable, of, type SchedulerLike, Subject, type Subscription, startWith, timer } from 'rxjs';
import type WebSocket from 'ws';
import { AudioChunker, appendMinMs } from './audio-chunker.js';
import { backoffDelay } from './backoff.js';
import { type OpenAIRealtimeConfig, wireAudioFormat } from './config.js';
import { openSocket } from './connection.js';
import { ConversationLog } from './conversation-log.js';
import { BENIGN_ERROR_CODES, errorFromServerEvent, outcomeOfClose } from './errors.js';
import { EventWaiters } from './event-waiters.js';
import { ResponseAudio } from './response-audio.js';
import { endSpan, type RealtimeTelemetry } from './telemetry.js';
import { appendMessage } from './wire/append-message.js';
import { buildSessionObject, type ClientEvent, historyItem, type SessionSettings } from './wire/client-events.js';
import { parseServerEvent, type ServerEvent, type ServerResponse } from './wire/server-events.js';

const WHO = 'provider.openai-realtime';
/** A manual commit needs at least this much audio (`input_audio_buffer_commit_empty`). */
const MIN_COMMIT_MS = 100;

type State = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface SessionDeps {
  /** Everything but the key, which the session keeps in a private field (never inspected or logged). */
  readonly config: Omit<OpenAIRealtimeConfig, 'apiKey'>;
  readonly apiKey: string;
  readonly context: ConversationContext;
  readonly logger: Logger;
  readonly telemetry: RealtimeTelemetry;
  readonly scheduler: SchedulerLike;
  readonly random: () => number;
  /** Aborting it closes the session. */
  readonly signal?: AbortSignal;
}

interface ActiveResponse {
  readonly id: string;
  readonly startedAt: number;
  readonly span: Span;
  readonly audio: ResponseAudio;
  firstAudio: boolean;
  /** Set by `interrupt`: audio and transcript deltas are dropped until `response.done`. */
  dropping: boolean;
}

interface ToolCall {
  readonly name: string;
  readonly responseId: string;
  readonly span: Span;
  answered: boolean;
}

/**
 * One conversation with the Realtime API. Owns the socket (and its replacements after
 * reconnection), turns server events into `S2SEvent`s and keeps the client-side rules of the
 * protocol: one `response.create` at a time, truncation from decoded audio, replay on reconnect.
 */
export class OpenAIRealtimeSession implements S2SSession {
  id = '';
  private readonly subject = new Subject<S2SEvent>();
  /** Every subscriber starts with `session-started`; after close, only `closed`. */
  readonly events$: Observable<S2SEvent> = defer(() =>
    this.state === 'closed'
      ? of<S2SEvent>({ type: 'closed', ...(this.closeReason ? { reason: this.closeReason } : {}) })
      : this.subject.pipe(startWith<S2SEvent>({ type: 'session-started', sessionId: this.id })),
  );
  private closeReason: string | undefined;

  private readonly config: Omit<OpenAIRealtimeConfig, 'apiKey'>;
  readonly #apiKey: string;
  private readonly deps: Omit<SessionDeps, 'apiKey'>;
  private readonly format: AudioFormat;
  private readonly log: ConversationLog;
  private readonly chunker: AudioChunker;
  private settings: SessionSettings;
  private state: State = 'connecting';
  private socket: WebSocket | undefined;
  private readonly waiters: EventWaiters;
  private eventSeq = 0;

  private active: ActiveResponse | undefined;
  /** The latest response that produced audio: playback may outlast its generation. */
  private playing: ActiveResponse | undefined;
  private responseRequested = false;
  private responseWanted = false;
  private readonly toolCalls = new Map<string, ToolCall>();
  private readonly toolNames = new Map<string, string>();
  private lastToolResponseId: string | undefined;
  private serverSpeech = false;
  private uncommittedBytes = 0;
  private drainScheduled = false;
  private outputPositionMs = 0;
  private discontNext = false;
  private expiring = false;
  private watchdog: Subscription | undefined;
  private lastActivityAt = 0;
  private readonly delays = new Set<() => void>();
  private closing: Promise<void> | undefined;

  constructor({ apiKey, ...deps }: SessionDeps) {
    this.#apiKey = apiKey;
    this.deps = deps;
    this.config = deps.config;
    this.waiters = new EventWaiters(deps.scheduler, WHO);
    this.format = wireAudioFormat(deps.config.audioFormat);
    this.chunker = new AudioChunker(this.format, appendMinMs(deps.config.turnDetection));
    this.log = new ConversationLog(deps.context.history ?? []);
    this.settings = {
      instructions: deps.context.systemPrompt ?? deps.config.instructions,
      voice: deps.context.voice ?? deps.config.voice,
      temperature: deps.context.temperature ?? deps.config.temperature,
      turnDetection: deps.config.turnDetection,
      inputTranscription: deps.config.inputTranscription,
      tools: mergeTools(deps.config.tools, deps.context.tools ?? []),
      toolChoice: deps.config.toolChoice,
      maxOutputTokens: deps.config.maxOutputTokens,
      audioFormat: deps.config.audioFormat,
    };
  }

  [Symbol.asyncIterator](): AsyncIterator<S2SEvent> {
    return iterateObservable(this.events$);
  }

  /** Connects (retrying dropped attempts per the reconnect policy, never auth failures). */
  async start(): Promise<void> {
    this.deps.signal?.addEventListener('abort', this.onAbort, { once: true });
    const span = this.deps.telemetry.startSpan();
    const policy = this.config.reconnect;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.establish();
        break;
      } catch (error) {
        const e = asS2SError(error);
        this.discardSocket();
        if (e.fatal || attempt >= policy.maxAttempts || this.state === 'closed') {
          endSpan(span, e.message);
          this.state = 'closed';
          this.deps.signal?.removeEventListener('abort', this.onAbort);
          this.subject.complete();
          throw e;
        }
        this.deps.logger.warn(`${e.message}; retrying`, { attempt: attempt + 1 });
        await this.delay(backoffDelay(policy, attempt + 1, this.deps.random));
      }
    }
    span.setAttribute('openai_realtime.session_id', this.id);
    span.end();
    this.state = 'open';
    this.flushResponse();
  }

  sendAudio(frame: AudioFrame): void {
    this.assertOpen();
    if (!sameFormat(frame.format, this.format)) {
      throw new S2SError(
        'invalid-input',
        `${WHO}: audio must be ${formatToString(this.format)} (audioFormat ${this.config.audioFormat}), got ${formatToString(frame.format)}; insert audio.resample`,
      );
    }
    if (this.state !== 'open') return;
    for (const chunk of this.chunker.push(samplesToBytes(frame.samples))) this.append(chunk);
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    // Frames handed over in one go (a file, a burst after a stall) leave as few large appends.
    queueMicrotask(() => {
      this.drainScheduled = false;
      const rest = this.state === 'open' ? this.chunker.drain() : undefined;
      if (rest) this.append(rest);
    });
  }

  sendText(text: string, options?: { respond?: boolean }): void {
    this.assertOpen();
    const item = { type: 'message', role: 'user', text } as const;
    this.log.add(item);
    if (this.state === 'open')
      this.send({ type: 'conversation.item.create', item: historyItem(this.config.protocol, item) });
    if (options?.respond ?? true) this.requestResponse();
  }

  sendToolResult(result: { id: string; output: string; isError?: boolean }): void {
    this.assertOpen();
    const call = this.toolCalls.get(result.id);
    if (!call) throw new S2SError('unknown-tool-call', `${WHO}: no tool call with id "${result.id}" in this session`);
    if (call.answered) throw new S2SError('unknown-tool-call', `${WHO}: tool call "${result.id}" was already answered`);
    call.answered = true;
    endSpan(call.span, result.isError ? 'tool reported an error' : undefined);
    const item = { type: 'tool-result', id: result.id, output: result.output } as const;
    this.log.add(item);
    // While reconnecting the replay carries the output (after its function_call) instead.
    if (this.state === 'open')
      this.send({ type: 'conversation.item.create', item: historyItem(this.config.protocol, item) });
    this.requestResponse();
  }

  /**
   * Nothing to send: the turn's audio is already streaming into the input buffer, and barge-in
   * is `interrupt()`, which the caller makes with the played position it alone knows.
   */
  speechStarted(_atMs: number): void {
    this.assertOpen();
  }

  /** With `turnDetection: none` (push-to-talk, local VAD): commit the turn and ask for a reply. */
  speechStopped(_atMs: number): void {
    this.assertOpen();
    if (this.config.turnDetection.type !== 'none' || this.state !== 'open') return;
    const rest = this.chunker.flush();
    if (rest) this.append(rest);
    if (bytesToMs(this.format, this.uncommittedBytes) < MIN_COMMIT_MS) {
      this.deps.logger.debug(
        `turn too short to commit (${Math.round(bytesToMs(this.format, this.uncommittedBytes))} ms)`,
      );
      return;
    }
    this.send({ type: 'input_audio_buffer.commit' });
    this.uncommittedBytes = 0;
    this.requestResponse();
  }

  interrupt(options?: InterruptOptions): InterruptResult | null {
    if (this.state === 'closed') return null;
    const silent = this.active;
    if (silent && silent !== this.playing && !silent.dropping) {
      // Still generating, no audio yet (a stall, or speech before the first delta): nothing to
      // truncate, but the generation must stop and its late deltas be dropped.
      silent.dropping = true;
      silent.audio.interrupted = true;
      if (!this.serverCancelsItself()) this.send({ type: 'response.cancel', response_id: silent.id });
      this.emit({ type: 'interrupted', responseId: silent.id, playedMs: 0 });
      return { responseId: silent.id, playedMs: 0 };
    }
    const response = this.playing;
    if (!response || response.audio.interrupted) return null;
    const isActive = this.active === response;
    const plan = response.audio.cutAt(options?.playedMs, isActive);
    if (!isActive && plan.playedMs >= response.audio.receivedMs) return null;
    response.audio.interrupted = true;
    this.discontNext = true;
    if (isActive) {
      response.dropping = true;
      if (!this.serverCancelsItself()) this.send({ type: 'response.cancel', response_id: response.id });
    }
    if (plan.truncate) {
      const { itemId, contentIndex, audioEndMs, fraction } = plan.truncate;
      this.send({
        type: 'conversation.item.truncate',
        item_id: itemId,
        content_index: contentIndex,
        audio_end_ms: audioEndMs,
      });
      this.log.cut(itemId, fraction);
    }
    for (const itemId of plan.remove) {
      this.send({ type: 'conversation.item.delete', item_id: itemId });
      this.log.remove(itemId);
    }
    this.emit({ type: 'interrupted', responseId: response.id, playedMs: plan.playedMs });
    return { responseId: response.id, playedMs: plan.playedMs };
  }

  async updateSession(update: { instructions?: string; tools?: readonly ToolSpec[] }): Promise<void> {
    this.assertOpen();
    this.settings = {
      ...this.settings,
      ...(update.instructions === undefined ? {} : { instructions: update.instructions }),
      ...(update.tools === undefined ? {} : { tools: mergeTools(this.config.tools, update.tools) }),
    };
    if (this.state !== 'open') return;
    const session: Record<string, unknown> = this.config.protocol === 'ga' ? { type: 'realtime' } : {};
    if (update.instructions !== undefined) session.instructions = update.instructions;
    if (update.tools !== undefined) session.tools = buildSessionObject(this.config.protocol, this.settings).tools;
    const eventId = this.send({ type: 'session.update', session });
    await this.waiters.waitFor('session.updated', eventId);
  }

  close(): Promise<void> {
    this.closing ??= this.finish(undefined);
    return this.closing;
  }

  private readonly onAbort = () => void this.close();

  // ---- connection -------------------------------------------------------------------------

  private async establish(): Promise<void> {
    const created$ = this.waiters.waitFor('session.created', undefined, this.config.connectTimeoutMs);
    try {
      await openSocket(
        {
          baseUrl: this.config.baseUrl,
          model: this.config.model,
          protocol: this.config.protocol,
          apiKey: this.#apiKey,
          timeoutMs: this.config.connectTimeoutMs,
          scheduler: this.deps.scheduler,
        },
        (socket) => this.attach(socket),
      );
    } catch (error) {
      created$.catch(() => undefined);
      this.waiters.rejectAll(asS2SError(error));
      throw error;
    }
    if (this.state === 'closed') {
      this.discardSocket();
      throw new S2SError('closed', `${WHO}: session closed while connecting`);
    }
    const created = await created$;
    if (created.type === 'session.created' && !this.id) this.id = created.session.id ?? `session-${Date.now()}`;
    const updateId = this.send({
      type: 'session.update',
      session: buildSessionObject(this.config.protocol, this.settings),
    });
    await this.waiters.waitFor('session.updated', updateId, this.config.connectTimeoutMs).catch((error: unknown) => {
      const e = asS2SError(error);
      throw e.code === 'invalid-request'
        ? new S2SError(e.code, `${WHO}: session.update refused: ${e.message}`, { fatal: true })
        : e;
    });
    for (const item of this.log.snapshot()) {
      this.send({ type: 'conversation.item.create', item: historyItem(this.config.protocol, item) });
    }
  }

  /** Drops a socket that failed to set up a session; its close must not trigger anything. */
  private discardSocket(): void {
    const socket = this.socket;
    this.socket = undefined;
    if (!socket) return;
    socket.removeAllListeners();
    socket.on('error', () => undefined);
    socket.terminate();
  }

  private attach(socket: WebSocket): void {
    this.socket = socket;
    socket.on('message', (data, isBinary) => {
      if (this.socket !== socket) return;
      if (isBinary) {
        this.deps.logger.warn('binary WebSocket frame ignored');
        return;
      }
      this.onMessage(data.toString());
    });
    socket.on('error', (error) => this.deps.logger.debug(`socket error: ${redact(error.message)}`));
    socket.on('close', (code, reason) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.onClose(code, reason.toString());
    });
  }

  private onClose(code: number, reason: string): void {
    const outcome = this.expiring
      ? { kind: 'reconnect' as const, error: outcomeOfClose(1001, reason).error }
      : outcomeOfClose(code, reason);
    this.expiring = false;
    this.waiters.rejectAll(outcome.error);
    if (this.state === 'closed' || this.state === 'connecting') return;
    if (outcome.kind === 'fatal') {
      this.closing ??= this.finish(outcome.error);
      return;
    }
    void this.reconnect(outcome.error);
  }

  private async reconnect(cause: S2SError): Promise<void> {
    if (this.state === 'reconnecting') return;
    this.state = 'reconnecting';
    const lostAt = this.now();
    this.emit({ type: 'error', error: cause });
    this.abandonActiveResponse();
    this.chunker.clear();
    this.uncommittedBytes = 0;
    this.serverSpeech = false;
    const policy = this.config.reconnect;
    for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
      await this.delay(backoffDelay(policy, attempt, this.deps.random));
      if (this.state !== 'reconnecting') return;
      try {
        await this.establish();
      } catch (error) {
        const e = asS2SError(error);
        this.discardSocket();
        if (this.state !== 'reconnecting') return;
        if (e.fatal) {
          this.closing ??= this.finish(e);
          return;
        }
        this.deps.logger.warn(`reconnection attempt ${attempt} failed: ${e.message}`);
        continue;
      }
      this.state = 'open';
      this.emit({ type: 'reconnected', gapMs: Math.round(this.now() - lostAt), attempt });
      this.flushResponse();
      return;
    }
    this.closing ??= this.finish(
      new S2SError(
        'connection',
        `${WHO}: could not reconnect after ${policy.maxAttempts} attempts (${cause.message})`,
        { fatal: true },
      ),
    );
  }

  private async finish(error: S2SError | undefined): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.deps.signal?.removeEventListener('abort', this.onAbort);
    this.watchdog?.unsubscribe();
    for (const cancel of this.delays) cancel();
    this.delays.clear();
    this.waiters.rejectAll(new S2SError('closed', `${WHO}: session closed`));
    if (error) this.emit({ type: 'error', error });
    const active = this.active;
    this.active = undefined;
    if (active) {
      endSpan(active.span, 'session closed');
      this.emit({ type: 'response-done', responseId: active.id, status: 'cancelled' });
    }
    for (const call of this.toolCalls.values()) if (!call.answered) endSpan(call.span, 'session closed');
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await closeSocket(socket);
    this.closeReason = error?.message;
    this.emit({ type: 'closed', ...(error ? { reason: error.message } : {}) });
    this.subject.complete();
  }

  // ---- server events ----------------------------------------------------------------------

  private onMessage(text: string): void {
    const parsed = parseServerEvent(text);
    if (parsed.kind === 'unknown') {
      this.deps.logger.debug(`unknown server event "${parsed.type}" ignored`);
      return;
    }
    if (parsed.kind === 'invalid') {
      this.deps.logger.warn(
        `malformed server event${parsed.type ? ` "${parsed.type}"` : ''} ignored: ${parsed.problem}`,
      );
      return;
    }
    const event = parsed.event;
    this.feedWatchdog();
    if (this.waiters.offer(event)) return;
    this.handle(event);
  }

  private handle(event: ServerEvent): void {
    switch (event.type) {
      case 'error':
        this.onServerError(event);
        return;
      case 'input_audio_buffer.speech_started':
        this.serverSpeech = true;
        this.emit({ type: 'speech-start', timestamp: event.audio_start_ms });
        return;
      case 'input_audio_buffer.speech_stopped':
        this.serverSpeech = false;
        this.emit({ type: 'speech-stop', timestamp: event.audio_end_ms });
        return;
      case 'input_audio_buffer.committed':
        this.uncommittedBytes = 0;
        this.log.reserve(event.item_id);
        if (this.config.turnDetection.type !== 'none' && !this.config.turnDetection.createResponse)
          this.requestResponse();
        return;
      case 'conversation.item.input_audio_transcription.delta':
        if (event.delta)
          this.emit({ type: 'transcript', role: 'user', text: event.delta, final: false, itemId: event.item_id });
        return;
      case 'conversation.item.input_audio_transcription.completed':
        this.log.setText(event.item_id, 'user', event.transcript);
        this.emit({
          type: 'transcript',
          role: 'user',
          text: event.transcript,
          final: true,
          itemId: event.item_id,
        });
        return;
      case 'conversation.item.input_audio_transcription.failed':
        this.deps.logger.warn(
          `input transcription failed for ${event.item_id}: ${redact(event.error.message ?? 'no reason given')}`,
        );
        return;
      case 'response.created':
        this.onResponseCreated(event.response.id);
        return;
      case 'response.output_item.added':
        if (event.item.type === 'function_call' && event.item.call_id && event.item.name)
          this.toolNames.set(event.item.call_id, event.item.name);
        if (event.item.type === 'message') this.log.reserve(event.item.id);
        return;
      case 'response.output_audio.delta':
        this.onAudioDelta(event.response_id, event.item_id, event.content_index, event.delta);
        return;
      case 'response.output_audio_transcript.delta':
      case 'response.output_text.delta':
        if (this.isDropping(event.response_id)) return;
        this.emit({
          type: 'transcript',
          role: 'assistant',
          text: event.delta,
          final: false,
          itemId: event.item_id,
          responseId: event.response_id,
        });
        return;
      case 'response.output_audio_transcript.done':
      case 'response.output_text.done': {
        const text = event.type === 'response.output_text.done' ? event.text : event.transcript;
        this.log.setText(event.item_id, 'assistant', text);
        if (this.active?.id === event.response_id && this.active.audio.interrupted) return;
        this.emit({
          type: 'transcript',
          role: 'assistant',
          text,
          final: true,
          itemId: event.item_id,
          responseId: event.response_id,
        });
        return;
      }
      case 'response.function_call_arguments.done':
        this.onToolCall(
          event.call_id,
          event.name ?? this.toolNames.get(event.call_id),
          event.arguments,
          event.response_id,
        );
        return;
      case 'response.done':
        this.onResponseDone(event.response);
        return;
      case 'rate_limits.updated':
        this.deps.logger.debug('rate limits updated', { rateLimits: event.rate_limits });
        return;
      default:
        this.deps.logger.debug(`server event ${event.type}`);
        return;
    }
  }

  private onServerError(event: Extract<ServerEvent, { type: 'error' }>): void {
    const body = event.error;
    const code = body.code ?? '';
    if (BENIGN_ERROR_CODES.has(code)) {
      this.deps.logger.debug(`benign server error ${code}: ${redact(body.message)}`);
      return;
    }
    if (code === 'conversation_already_has_active_response') {
      // A server-VAD response started first; it sees every item added so far.
      this.responseRequested = false;
      this.deps.logger.debug('response.create skipped: a response is already active');
      return;
    }
    const error = errorFromServerEvent(body);
    if (error.code === 'session-expired') {
      this.expiring = true;
      return;
    }
    if (error.fatal) {
      this.waiters.rejectAll(error);
      if (this.state === 'open' || this.state === 'reconnecting') this.closing ??= this.finish(error);
      return;
    }
    this.emit({ type: 'error', error });
  }

  private onResponseCreated(id: string): void {
    this.responseRequested = false;
    this.active = {
      id,
      startedAt: this.now(),
      span: this.deps.telemetry.responseSpan(id),
      audio: new ResponseAudio(id, this.format),
      firstAudio: false,
      dropping: false,
    };
    this.emit({ type: 'response-start', responseId: id });
  }

  private onAudioDelta(responseId: string, itemId: string, contentIndex: number, base64: string): void {
    const response = this.active;
    if (!response || response.id !== responseId || response.dropping) return;
    const bytes = Buffer.from(base64, 'base64');
    if (bytes.byteLength === 0) return;
    const usable = bytes.subarray(
      0,
      bytes.byteLength - (bytes.byteLength % (this.format.encoding === 'pcm16' ? 2 : 1)),
    );
    if (!response.firstAudio) {
      response.firstAudio = true;
      this.playing = response;
      const ms = this.now() - response.startedAt;
      this.deps.telemetry.recordFirstAudio(ms);
      response.span.setAttribute('openai_realtime.time_to_first_audio_ms', ms);
    }
    response.audio.add(itemId, contentIndex, usable.byteLength);
    const frame: AudioFrame = {
      kind: 'audio',
      timestamp: this.outputPositionMs,
      format: this.format,
      samples: bytesToSamples(this.format.encoding, usable),
      responseId,
      ...(this.discontNext ? { discont: true } : {}),
    };
    this.discontNext = false;
    this.outputPositionMs += bytesToMs(this.format, usable.byteLength);
    this.emit({ type: 'audio', responseId, itemId, frame });
  }

  private onToolCall(callId: string, name: string | undefined, args: string, responseId: string): void {
    if (!name) {
      this.deps.logger.warn(`function call ${callId} without a name ignored`);
      return;
    }
    if (this.toolCalls.has(callId)) return;
    this.toolCalls.set(callId, { name, responseId, span: this.deps.telemetry.toolSpan(callId, name), answered: false });
    this.lastToolResponseId = responseId;
    this.log.add({ type: 'tool-call', id: callId, name, arguments: args });
    this.emit({ type: 'tool-call', id: callId, name, arguments: args, responseId });
  }

  private onResponseDone(response: ServerResponse): void {
    const active = this.active;
    if (!active || active.id !== response.id) {
      this.deps.logger.debug(`response.done for unknown response ${response.id}`);
      return;
    }
    this.active = undefined;
    const status: ResponseStatus = response.status === 'in_progress' ? 'incomplete' : response.status;
    const usage = toUsage(response.usage);
    if (usage) {
      this.deps.telemetry.recordUsage(usage);
      active.span.setAttributes({
        'openai_realtime.input_tokens': usage.inputTokens,
        'openai_realtime.output_tokens': usage.outputTokens,
      });
    }
    active.span.setAttribute('openai_realtime.status', status);
    const failure = response.status_details?.error;
    endSpan(active.span, status === 'failed' ? (failure?.code ?? failure?.type ?? 'failed') : undefined);
    if (status === 'failed' && failure) {
      this.emit({
        type: 'error',
        error: errorFromServerEvent({
          type: failure.type ?? 'server_error',
          code: failure.code,
          message: failure.message ?? `response ${response.id} failed`,
        }),
      });
    }
    this.emit({ type: 'response-done', responseId: response.id, status, ...(usage ? { usage } : {}) });
    this.flushResponse();
  }

  // ---- responses ----------------------------------------------------------------------------

  private requestResponse(): void {
    this.responseWanted = true;
    this.flushResponse();
  }

  /** Sends the one queued `response.create` once nothing is active and every tool call of the last response is answered. */
  private flushResponse(): void {
    if (!this.responseWanted || this.state !== 'open' || this.active || this.responseRequested) return;
    for (const call of this.toolCalls.values()) {
      if (!call.answered && call.responseId === this.lastToolResponseId) return;
    }
    this.responseWanted = false;
    this.responseRequested = true;
    this.send({ type: 'response.create' });
  }

  /** The socket went away mid-response: report it ended and ask the next socket to answer. */
  private abandonActiveResponse(): void {
    this.responseRequested = false;
    // Its items die with the old socket: nothing left there to truncate.
    this.playing = undefined;
    const active = this.active;
    if (!active) return;
    this.active = undefined;
    endSpan(active.span, 'connection lost');
    this.emit({ type: 'response-done', responseId: active.id, status: 'incomplete' });
    this.responseWanted = true;
  }

  private serverCancelsItself(): boolean {
    const td = this.config.turnDetection;
    return td.type !== 'none' && td.interruptResponse && this.serverSpeech;
  }

  private isDropping(responseId: string): boolean {
    return this.active?.id === responseId && this.active.dropping;
  }

  /**
   * Reports a response that stays silent for `responseTimeoutMs`. One timer at a time: events only
   * move `lastActivityAt`, and the timer re-arms itself for the remainder when it fires early.
   */
  private feedWatchdog(): void {
    this.lastActivityAt = this.now();
    if (!this.active && !this.responseRequested) {
      this.watchdog?.unsubscribe();
      this.watchdog = undefined;
      return;
    }
    if (!this.watchdog) this.armWatchdog(this.config.responseTimeoutMs);
  }

  private armWatchdog(ms: number): void {
    this.watchdog = timer(ms, this.deps.scheduler).subscribe(() => {
      this.watchdog = undefined;
      if (!this.active && !this.responseRequested) return;
      const silentFor = this.now() - this.lastActivityAt;
      if (silentFor < this.config.responseTimeoutMs) {
        this.armWatchdog(this.config.responseTimeoutMs - silentFor);
        return;
      }
      const active = this.active;
      this.responseRequested = false;
      this.emit({
        type: 'error',
        error: new S2SError(
          'timeout',
          `${WHO}: no reply from the server for ${this.config.responseTimeoutMs} ms${active ? ` (response ${active.id})` : ''}`,
        ),
      });
      if (active) {
        this.active = undefined;
        endSpan(active.span, 'timeout');
        this.emit({ type: 'response-done', responseId: active.id, status: 'failed' });
      }
    });
  }

  // ---- plumbing -----------------------------------------------------------------------------

  private append(chunk: Uint8Array): void {
    this.uncommittedBytes += chunk.byteLength;
    this.sendBuilt('input_audio_buffer.append', (eventId) => appendMessage(eventId, chunk));
  }

  /** Sends a client event with a fresh `event_id` (echoed by errors about it); returns the id. */
  private send(event: ClientEvent): string {
    const eventId = this.sendBuilt(event.type, (id) => JSON.stringify({ event_id: id, ...event }));
    if (event.type === 'response.create') this.feedWatchdog();
    return eventId;
  }

  /** Sends the text `build` makes around a fresh `event_id`, if the socket is open; returns the id. */
  private sendBuilt(type: string, build: (eventId: string) => string): string {
    const eventId = `evt_${(++this.eventSeq).toString(36).padStart(6, '0')}`;
    const socket = this.socket;
    if (!socket || socket.readyState !== socket.OPEN) {
      this.deps.logger.debug(`${type} not sent: no open socket`);
      return eventId;
    }
    socket.send(build(eventId));
    return eventId;
  }

  private assertOpen(): void {
    if (this.state === 'closed') throw new S2SError('closed', `${WHO}: session is closed`);
  }

  private emit(event: S2SEvent): void {
    this.subject.next(event);
  }

  private now(): number {
    return this.deps.scheduler.now();
  }

  /** Waits on the scheduler; `close()` cuts every wait short so that no timer outlives the session. */
  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wait = timer(ms, this.deps.scheduler).subscribe(() => {
        this.delays.delete(cancel);
        resolve();
      });
      const cancel = () => {
        wait.unsubscribe();
        resolve();
      };
      this.delays.add(cancel);
    });
  }
}

function asS2SError(error: unknown): S2SError {
  if (error instanceof S2SError) return error;
  return new S2SError('connection', `${WHO}: ${redact(error instanceof Error ? error.message : String(error))}`, {
    cause: error,
  });
}

function toUsage(usage: ServerResponse['usage']): TokenUsage | undefined {
  if (!usage) return undefined;
  const inputTokens = usage.input_tokens ?? 0;
  const outputTokens = usage.output_tokens ?? 0;
  return { inputTokens, outputTokens, totalTokens: usage.total_tokens ?? inputTokens + outputTokens };
}

/** Config tools first; a context tool with the same name replaces it. */
function mergeTools(config: readonly ToolSpec[], extra: readonly ToolSpec[]): ToolSpec[] {
  const byName = new Map<string, ToolSpec>();
  for (const tool of [...config, ...extra]) byName.set(tool.name, tool);
  return [...byName.values()];
}

function closeSocket(socket: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.readyState === socket.CLOSED) return resolve();
    const guard = setTimeout(() => {
      socket.terminate();
      resolve();
    }, 1000);
    socket.once('close', () => {
      clearTimeout(guard);
      resolve();
    });
    socket.close(1000, 'OK');
  });
}
