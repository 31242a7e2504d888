import {
  type AudioFormat,
  type AudioFrame,
  bytesToMs,
  bytesToSamples,
  type ConversationContext,
  closeSocket,
  formatToString,
  type InterruptOptions,
  type InterruptResult,
  iterateObservable,
  type Logger,
  mergeTools,
  msToBytes,
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
import { defer, type Observable, of, type SchedulerLike, Subject, startWith, timer } from 'rxjs';
import type WebSocket from 'ws';
import { appendMinMs } from './audio-chunker.js';
import { type OpenAIRealtimeConfig, wireAudioFormat } from './config.js';
import { dropSocket, listenTo } from './connection.js';
import { ConversationLog } from './conversation-log.js';
import { BENIGN_ERROR_CODES, errorFromServerEvent, outcomeOfClose } from './errors.js';
import { establishSession } from './establish.js';
import { EventWaiters } from './event-waiters.js';
import { type ConnectAttempts, connectWithRetries } from './reconnect.js';
import { ResponseAudio } from './response-audio.js';
import { ResponseWatchdog } from './response-watchdog.js';
import { endSpan, type RealtimeTelemetry } from './telemetry.js';
import { UserInput } from './user-input.js';
import { appendMessage } from './wire/append-message.js';
import {
  buildSessionObject,
  type ClientEvent,
  historyItem,
  replayItem,
  type SessionSettings,
} from './wire/client-events.js';
import { parseServerEvent, responseIdOf, type ServerEvent, type ServerResponse } from './wire/server-events.js';

const WHO = 'provider.openai-realtime';
/** User turns kept as audio to replay after a reconnection when no transcript of them exists. */
const REPLAYED_AUDIO_TURNS = 8;
const REPLAYED_AUDIO_MS = 60_000;

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
  private outputPositionMs = 0;
  private discontNext = false;
  private expiring = false;
  private readonly watchdog: ResponseWatchdog;
  private readonly attempts: ConnectAttempts;
  private readonly input: UserInput;
  private readonly delays = new Set<() => void>();
  private closing: Promise<void> | undefined;
  /** Aborted by `close()`: a connection attempt in flight gives up at once. */
  private readonly closed = new AbortController();

  constructor({ apiKey, ...deps }: SessionDeps) {
    this.#apiKey = apiKey;
    this.deps = deps;
    this.config = deps.config;
    this.waiters = new EventWaiters(deps.scheduler, WHO);
    this.watchdog = new ResponseWatchdog(deps.scheduler, deps.config.responseTimeoutMs, () => this.onStalled());
    this.attempts = {
      policy: deps.config.reconnect,
      random: deps.random,
      delay: (ms) => this.delay(ms),
      establish: () => this.establish(),
      discard: () => this.discardSocket(),
      wanted: () => this.state !== 'closed',
      warn: (message) => deps.logger.warn(message),
    };
    this.format = wireAudioFormat(deps.config.audioFormat);
    this.input = new UserInput(
      this.format,
      {
        connected: () => this.state === 'open',
        closed: () => this.state === 'closed',
        send: (event) => this.send(event),
        sendAppend: (audio) => this.sendBuilt('input_audio_buffer.append', (eventId) => appendMessage(eventId, audio)),
        warn: (code, message) => this.emit({ type: 'warning', code, message }),
        debug: (message) => deps.logger.debug(message),
        committed: () => this.requestResponse(),
      },
      appendMinMs(deps.config.turnDetection),
    );
    this.log = new ConversationLog(deps.context.history ?? [], {
      turns: REPLAYED_AUDIO_TURNS,
      bytes: msToBytes(this.format, REPLAYED_AUDIO_MS),
    });
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
    const outcome = await connectWithRetries(this.attempts, false);
    if (outcome.kind !== 'connected' || this.state === 'closed') {
      const error = outcome.kind === 'connected' ? closedError() : outcome.error;
      endSpan(span, error.message);
      this.state = 'closed';
      this.discardSocket();
      this.deps.signal?.removeEventListener('abort', this.onAbort);
      this.subject.complete();
      throw error;
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
    this.input.push(samplesToBytes(frame.samples));
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
    if (this.config.turnDetection.type !== 'none') return;
    this.input.endTurn();
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
    const id = await establishSession({
      connect: {
        baseUrl: this.config.baseUrl,
        model: this.config.model,
        protocol: this.config.protocol,
        apiKey: this.#apiKey,
        timeoutMs: this.config.connectTimeoutMs,
        scheduler: this.deps.scheduler,
        signal: this.closed.signal,
      },
      waiters: this.waiters,
      settings: this.settings,
      attach: (socket) => this.attach(socket),
      send: (event) => this.send(event),
      closed: () => this.state === 'closed',
    });
    if (!this.id) this.id = id ?? `session-${Date.now()}`;
    const replay = this.log.replay();
    for (const item of replay.items) {
      this.send({ type: 'conversation.item.create', item: replayItem(this.config.protocol, item) });
    }
    if (replay.lostUserTurns > 0) {
      this.emit({
        type: 'warning',
        code: 'replay-incomplete',
        message: `${WHO}: ${replay.lostUserTurns} earlier user turn(s) could not be replayed to the new session (no transcript, and their audio is no longer kept); set inputTranscription to replay user turns as text`,
      });
    }
  }

  /** Drops a socket that failed to set up a session; its close must not trigger anything. */
  private discardSocket(): void {
    const socket = this.socket;
    this.socket = undefined;
    if (socket) dropSocket(socket);
  }

  private attach(socket: WebSocket): void {
    this.socket = socket;
    listenTo(socket, {
      message: (text) => {
        if (this.socket === socket) this.onMessage(text);
      },
      close: (code, reason) => {
        if (this.socket !== socket) return;
        this.socket = undefined;
        this.onClose(code, reason);
      },
      debug: (message) => this.deps.logger.debug(message),
      warn: (message) => this.deps.logger.warn(message),
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
    // The old socket's input buffer is gone: the turn so far goes out again on the new one.
    this.input.lost();
    this.serverSpeech = false;
    const outcome = await connectWithRetries(this.attempts, true);
    if (this.state !== 'reconnecting') return;
    if (outcome.kind === 'stopped') return;
    if (outcome.kind === 'failed') {
      const error = outcome.error.fatal
        ? outcome.error
        : new S2SError(
            'connection',
            `${WHO}: could not reconnect after ${this.config.reconnect.maxAttempts} attempts (${cause.message})`,
            { fatal: true },
          );
      this.closing ??= this.finish(error);
      return;
    }
    this.state = 'open';
    this.input.resume();
    this.emit({ type: 'reconnected', gapMs: Math.round(this.now() - lostAt), attempt: outcome.attempt });
    this.flushResponse();
  }

  private async finish(error: S2SError | undefined): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.closed.abort();
    this.deps.signal?.removeEventListener('abort', this.onAbort);
    this.watchdog.stop();
    for (const cancel of this.delays) cancel();
    this.delays.clear();
    this.waiters.rejectAll(new S2SError('closed', `${WHO}: session closed`));
    if (error) this.emit({ type: 'error', error });
    this.endActive('cancelled', 'session closed');
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
    if (this.waiters.offer(event)) return;
    if (this.guards(event)) this.watchdog.progress();
    this.handle(event);
    if (!this.active && !this.responseRequested) this.watchdog.stop();
  }

  /** Whether `event` is progress of the response the watchdog guards (or the answer to its request). */
  private guards(event: ServerEvent): boolean {
    // A new response becomes the guarded one.
    if (event.type === 'response.created') return true;
    const id = responseIdOf(event);
    return id !== undefined && id === this.active?.id;
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
        this.log.reserveUserTurn(event.item_id, this.input.committed());
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
    const previous = this.active;
    if (previous?.id === id) {
      this.deps.logger.debug(`duplicate response.created for ${id} ignored`);
      return;
    }
    if (previous) {
      // The protocol has one response at a time: a second one means the first's response.done was
      // lost or comes late. End the first now, or it would stay active (and block the drain) forever.
      this.emit({
        type: 'warning',
        code: 'protocol-order',
        message: `${WHO}: response ${id} was created before response ${previous.id} was done; ending ${previous.id} as incomplete`,
      });
      this.endActive('incomplete', 'superseded by another response');
    }
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
    this.toolCalls.set(callId, {
      name,
      responseId,
      span: this.deps.telemetry.toolSpan(callId, name, this.active?.id === responseId ? this.active.span : undefined),
      answered: false,
    });
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
    if (this.endActive('incomplete', 'connection lost')) this.responseWanted = true;
  }

  /** Ends the active response before its `response.done` (which is ignored if it comes later). */
  private endActive(status: ResponseStatus, reason: string): boolean {
    const active = this.active;
    if (!active) return false;
    this.active = undefined;
    endSpan(active.span, reason);
    this.emit({ type: 'response-done', responseId: active.id, status });
    return true;
  }

  private serverCancelsItself(): boolean {
    const td = this.config.turnDetection;
    return td.type !== 'none' && td.interruptResponse && this.serverSpeech;
  }

  private isDropping(responseId: string): boolean {
    return this.active?.id === responseId && this.active.dropping;
  }

  /** The watchdog saw no progress for `responseTimeoutMs`: report it and give the response up. */
  private onStalled(): void {
    if (!this.active && !this.responseRequested) return;
    const active = this.active;
    this.responseRequested = false;
    this.emit({
      type: 'error',
      error: new S2SError(
        'timeout',
        `${WHO}: no reply from the server for ${this.config.responseTimeoutMs} ms${active ? ` (response ${active.id})` : ''}`,
      ),
    });
    this.endActive('failed', 'timeout');
  }

  // ---- plumbing -----------------------------------------------------------------------------

  /** Sends a client event with a fresh `event_id` (echoed by errors about it); returns the id. */
  private send(event: ClientEvent): string {
    const eventId = this.sendBuilt(event.type, (id) => JSON.stringify({ event_id: id, ...event }));
    if (event.type === 'response.create') this.watchdog.progress();
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

function closedError(): S2SError {
  return new S2SError('closed', `${WHO}: session closed while connecting`);
}

function toUsage(usage: ServerResponse['usage']): TokenUsage | undefined {
  if (!usage) return undefined;
  const inputTokens = usage.input_tokens ?? 0;
  const outputTokens = usage.output_tokens ?? 0;
  return { inputTokens, outputTokens, totalTokens: usage.total_tokens ?? inputTokens + outputTokens };
}
