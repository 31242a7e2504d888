import {
  type AudioFormat,
  type AudioFrame,
  type ConversationContext,
  closeSocket,
  formatToString,
  type InterruptOptions,
  type InterruptResult,
  iterateObservable,
  type Logger,
  msToBytes,
  S2SError,
  type S2SEvent,
  type S2SSession,
  ScheduledDelays,
  sameFormat,
  samplesToBytes,
} from '@beluga-voice/core';
import { defer, type Observable, of, type SchedulerLike, Subject, startWith } from 'rxjs';
import { appendMinMs } from './audio-chunker.js';
import { type OpenAIRealtimeConfig, wireAudioFormat } from './config.js';
import { ConversationLog } from './conversation-log.js';
import { outcomeOfClose } from './errors.js';
import { establishSession } from './establish.js';
import { EventWaiters } from './event-waiters.js';
import { type ConnectAttempts, connectWithRetries } from './reconnect.js';
import { Responses } from './responses.js';
import { handleServerEvent, readServerEvent, type ServerEventHost } from './server-event-handler.js';
import { initialSettings, type SessionUpdate, sessionUpdatePatch, updatedSettings } from './session-settings.js';
import { SocketLink } from './socket-link.js';
import { endSpan, type RealtimeTelemetry } from './telemetry.js';
import { ToolCalls } from './tool-calls.js';
import { UserInput } from './user-input.js';
import { appendMessage } from './wire/append-message.js';
import { historyItem, replayItem, type SessionSettings } from './wire/client-events.js';

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
  private readonly link: SocketLink;
  private readonly waiters: EventWaiters;
  private readonly responses: Responses;
  private readonly toolCalls: ToolCalls;
  private readonly serverEvents: ServerEventHost;
  /** The server announced the session's end: its close reconnects. */
  private expiring = false;
  private readonly attempts: ConnectAttempts;
  private readonly input: UserInput;
  private readonly delays: ScheduledDelays;
  private closing: Promise<void> | undefined;
  /** Aborted by `close()`: a connection attempt in flight gives up at once. */
  private readonly closed = new AbortController();

  constructor({ apiKey, ...deps }: SessionDeps) {
    this.#apiKey = apiKey;
    this.deps = deps;
    this.config = deps.config;
    this.link = new SocketLink(deps.logger);
    this.waiters = new EventWaiters(deps.scheduler, WHO);
    this.delays = new ScheduledDelays(deps.scheduler);
    this.attempts = {
      policy: deps.config.reconnect,
      random: deps.random,
      delay: (ms) => this.delays.wait(ms),
      establish: () => this.establish(),
      discard: () => this.link.discard(),
      wanted: () => this.state !== 'closed',
      warn: (message) => deps.logger.warn(message),
    };
    this.format = wireAudioFormat(deps.config.audioFormat);
    this.input = new UserInput(
      this.format,
      {
        connected: () => this.state === 'open',
        closed: () => this.state === 'closed',
        send: (event) => this.link.send(event),
        sendAppend: (audio) =>
          this.link.sendBuilt('input_audio_buffer.append', (eventId) => appendMessage(eventId, audio)),
        warn: (code, message) => this.emit({ type: 'warning', code, message }),
        debug: (message) => deps.logger.debug(message),
        committed: () => this.responses.request(),
      },
      appendMinMs(deps.config.turnDetection),
    );
    this.log = new ConversationLog(deps.context.history ?? [], {
      turns: REPLAYED_AUDIO_TURNS,
      bytes: msToBytes(this.format, REPLAYED_AUDIO_MS),
    });
    this.toolCalls = new ToolCalls({
      telemetry: deps.telemetry,
      log: this.log,
      emit: (event) => this.emit(event),
      warn: (message) => deps.logger.warn(message),
    });
    this.responses = new Responses({
      format: this.format,
      scheduler: deps.scheduler,
      telemetry: deps.telemetry,
      log: this.log,
      turnDetection: deps.config.turnDetection,
      responseTimeoutMs: deps.config.responseTimeoutMs,
      open: () => this.state === 'open',
      send: (event) => this.link.send(event),
      emit: (event) => this.emit(event),
      debug: (message) => deps.logger.debug(message),
      awaitingToolResults: () => this.toolCalls.awaitingResults(),
    });
    this.serverEvents = {
      turnDetection: deps.config.turnDetection,
      logger: deps.logger,
      log: this.log,
      input: this.input,
      responses: this.responses,
      toolCalls: this.toolCalls,
      emit: (event) => this.emit(event),
      expiring: () => {
        this.expiring = true;
      },
      fatal: (error) => {
        this.waiters.rejectAll(error);
        if (this.state === 'open' || this.state === 'reconnecting') this.closing ??= this.finish(error);
      },
    };
    this.settings = initialSettings(deps.config, deps.context);
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
      this.link.discard();
      this.deps.signal?.removeEventListener('abort', this.onAbort);
      this.subject.complete();
      throw error;
    }
    span.setAttribute('openai_realtime.session_id', this.id);
    span.end();
    this.state = 'open';
    this.responses.flush();
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
      this.link.send({ type: 'conversation.item.create', item: historyItem(this.config.protocol, item) });
    if (options?.respond ?? true) this.responses.request();
  }

  sendToolResult(result: { id: string; output: string; isError?: boolean }): void {
    this.assertOpen();
    const item = this.toolCalls.answer(result);
    // While reconnecting the replay carries the output (after its function_call) instead.
    if (this.state === 'open')
      this.link.send({ type: 'conversation.item.create', item: historyItem(this.config.protocol, item) });
    this.responses.request();
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
    return this.responses.interrupt(options);
  }

  async updateSession(update: SessionUpdate): Promise<void> {
    this.assertOpen();
    this.settings = updatedSettings(this.settings, update, this.config.tools);
    if (this.state !== 'open') return;
    const session = sessionUpdatePatch(this.config.protocol, this.settings, update);
    const eventId = this.link.send({ type: 'session.update', session });
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
        maxMessageBytes: this.config.maxMessageBytes,
        scheduler: this.deps.scheduler,
        signal: this.closed.signal,
      },
      waiters: this.waiters,
      settings: this.settings,
      attach: (socket) =>
        this.link.attach(socket, {
          message: (text) => this.onMessage(text),
          close: (code, reason) => this.onClose(code, reason),
        }),
      send: (event) => this.link.send(event),
      closed: () => this.state === 'closed',
    });
    if (!this.id) this.id = id ?? `session-${Date.now()}`;
    const replay = this.log.replay();
    for (const item of replay.items) {
      this.link.send({ type: 'conversation.item.create', item: replayItem(this.config.protocol, item) });
    }
    if (replay.lostUserTurns > 0) {
      this.emit({
        type: 'warning',
        code: 'replay-incomplete',
        message: `${WHO}: ${replay.lostUserTurns} earlier user turn(s) could not be replayed to the new session (no transcript, and their audio is no longer kept); set inputTranscription to replay user turns as text`,
      });
    }
  }

  private onClose(code: number, reason: string): void {
    const outcome = this.expiring
      ? { kind: 'reconnect' as const, error: outcomeOfClose(1001, reason, this.config.maxMessageBytes).error }
      : outcomeOfClose(code, reason, this.config.maxMessageBytes);
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
    const lostAt = this.deps.scheduler.now();
    this.emit({ type: 'error', error: cause });
    this.responses.abandon();
    // The old socket's input buffer is gone: the turn so far goes out again on the new one.
    this.input.lost();
    this.responses.speech(false);
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
    this.emit({ type: 'reconnected', gapMs: Math.round(this.deps.scheduler.now() - lostAt), attempt: outcome.attempt });
    this.responses.flush();
  }

  private async finish(error: S2SError | undefined): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.closed.abort();
    this.deps.signal?.removeEventListener('abort', this.onAbort);
    this.responses.stopWatchdog();
    this.delays.cancelAll();
    this.waiters.rejectAll(new S2SError('closed', `${WHO}: session closed`));
    if (error) this.emit({ type: 'error', error });
    this.responses.end('cancelled', 'session closed');
    this.toolCalls.abandon('session closed');
    const socket = this.link.detach();
    if (socket) await closeSocket(socket);
    this.closeReason = error?.message;
    this.emit({ type: 'closed', ...(error ? { reason: error.message } : {}) });
    this.subject.complete();
  }

  private onMessage(text: string): void {
    const event = readServerEvent(text, this.deps.logger);
    if (!event || this.waiters.offer(event)) return;
    this.responses.observe(event);
    handleServerEvent(event, this.serverEvents);
    this.responses.settle();
  }

  private assertOpen(): void {
    if (this.state === 'closed') throw new S2SError('closed', `${WHO}: session is closed`);
  }

  private emit(event: S2SEvent): void {
    this.subject.next(event);
  }
}

function closedError(): S2SError {
  return new S2SError('closed', `${WHO}: session closed while connecting`);
}
