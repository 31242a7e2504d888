import {
  type AudioFrame,
  audioDurationMs,
  type ConversationContext,
  closeSocket,
  endSpan,
  formatToString,
  HeldInputBuffer,
  type HistoryItem,
  type InterruptOptions,
  type InterruptResult,
  iterateObservable,
  type Logger,
  mergeTools,
  redact,
  S2SError,
  type S2SEvent,
  type S2SSession,
  ScheduledDelays,
  sameFormat,
  samplesToBytes,
  type ToolSpec,
  watchProviderSocketClose,
} from '@beluga-voice/core';
import { defer, type Observable, of, type SchedulerLike, Subject, type Subscription, startWith, timer } from 'rxjs';
import type WebSocket from 'ws';
import { GEMINI_INPUT_FORMAT, type GeminiLiveConfig } from './config.js';
import { openSocket } from './connection.js';
import { asS2SError, outcomeOfClose, WHO } from './errors.js';
import { ModelTurns } from './model-turns.js';
import type { GeminiTelemetry } from './telemetry.js';
import {
  activityMessage,
  audioMessage,
  clientContentMessage,
  historyTurns,
  type SetupSettings,
  setupMessage,
  toolResponseMessage,
} from './wire/client-messages.js';
import { durationMs, parseServerMessage } from './wire/server-messages.js';

type State = 'connecting' | 'open' | 'resuming' | 'closed';

const HOLD_WHILE_RESUMING_MS = 5000;

export interface SessionDeps {
  /** Everything but the key, which the session keeps in a private field (never inspected or logged). */
  readonly config: Omit<GeminiLiveConfig, 'apiKey'>;
  readonly apiKey: string;
  readonly context: ConversationContext;
  readonly logger: Logger;
  readonly telemetry: GeminiTelemetry;
  readonly scheduler: SchedulerLike;
  readonly signal?: AbortSignal;
}

interface SetupWaiter {
  readonly resolve: () => void;
  readonly reject: (error: S2SError) => void;
}

let sessionSeq = 0;

/**
 * One conversation with the Gemini Live API. Owns the socket (and its replacements: resumed with
 * the latest `sessionResumptionUpdate` handle, or replayed as text when none is valid), and turns
 * server messages into `S2SEvent`s. Gemini has no response ids: each model turn gets one here.
 */
export class GeminiLiveSession implements S2SSession {
  readonly id = `gemini-${Date.now().toString(36)}-${++sessionSeq}`;
  private readonly subject = new Subject<S2SEvent>();
  readonly events$: Observable<S2SEvent> = defer(() =>
    this.state === 'closed'
      ? of<S2SEvent>({ type: 'closed', ...(this.closeReason ? { reason: this.closeReason } : {}) })
      : this.subject.pipe(startWith<S2SEvent>({ type: 'session-started', sessionId: this.id })),
  );
  private closeReason: string | undefined;
  readonly #apiKey: string;
  private readonly deps: Omit<SessionDeps, 'apiKey'>;
  private settings: Omit<SetupSettings, 'handle'>;
  private state: State = 'connecting';
  private socket: WebSocket | undefined;
  private setupWaiter: SetupWaiter | undefined;
  /** The latest resumption handle; a new socket resumes from it instead of replaying text. */
  private handle: string | undefined;
  private readonly log: HistoryItem[];
  private readonly turns: ModelTurns;
  private inputPositionMs = 0;
  private goAwayPending = false;
  private goAwayTimer: Subscription | undefined;
  /** User audio sent while resuming: delivered on the new socket (bounded; the excess is counted). */
  private readonly held = new HeldInputBuffer(HOLD_WHILE_RESUMING_MS);
  private readonly delays: ScheduledDelays;
  private closing: Promise<void> | undefined;

  constructor({ apiKey, ...deps }: SessionDeps) {
    this.#apiKey = apiKey;
    this.deps = deps;
    this.delays = new ScheduledDelays(deps.scheduler);
    const { config, context } = deps;
    this.log = [...(context.history ?? [])];
    this.turns = new ModelTurns({
      sessionId: this.id,
      emit: (event) => this.emit(event),
      telemetry: deps.telemetry,
      logger: deps.logger,
      now: () => deps.scheduler.now(),
      log: this.log,
      inputPositionMs: () => this.inputPositionMs,
    });
    this.settings = {
      model: config.model,
      voice: context.voice ?? config.voice,
      temperature: context.temperature ?? config.temperature,
      instructions: context.systemPrompt ?? config.instructions,
      tools: mergeTools(config.tools, context.tools ?? []),
      turnDetection: config.turnDetection,
      transcription: config.transcription,
      contextWindowCompression: config.contextWindowCompression,
    };
  }

  [Symbol.asyncIterator](): AsyncIterator<S2SEvent> {
    return iterateObservable(this.events$);
  }

  /** Connects and sets up (retrying dropped attempts, never refusals such as a bad key). */
  async start(): Promise<void> {
    this.deps.signal?.addEventListener('abort', this.onAbort, { once: true });
    const span = this.deps.telemetry.startSpan();
    const policy = this.deps.config.reconnect;
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
        await this.delays.wait(backoff(policy, attempt + 1));
      }
    }
    span.setAttribute('gemini_live.session_id', this.id);
    span.end();
    this.state = 'open';
  }

  sendAudio(frame: AudioFrame): void {
    this.assertOpen();
    if (!sameFormat(frame.format, GEMINI_INPUT_FORMAT)) {
      throw new S2SError(
        'invalid-input',
        `${WHO}: audio must be ${formatToString(GEMINI_INPUT_FORMAT)}, got ${formatToString(frame.format)}; insert audio.resample with sampleRate 16000`,
      );
    }
    this.inputPositionMs += audioDurationMs(frame);
    if (this.state !== 'open') {
      this.held.push({ kind: 'audio', frame });
      return;
    }
    this.sendFrame(frame);
  }

  private sendFrame(frame: AudioFrame): void {
    const bytes = samplesToBytes(frame.samples);
    this.send(
      audioMessage(
        Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
        GEMINI_INPUT_FORMAT.sampleRate,
      ),
    );
  }

  sendText(text: string, options?: { respond?: boolean }): void {
    this.assertOpen();
    this.log.push({ type: 'message', role: 'user', text });
    if (options?.respond ?? true) this.turns.answerRequested();
    this.send(clientContentMessage([{ role: 'user', parts: [{ text }] }], options?.respond ?? true));
  }

  sendToolResult(result: { id: string; output: string; isError?: boolean }): void {
    this.assertOpen();
    const name = this.turns.toolResult(result);
    if (name !== undefined) this.send(toolResponseMessage(result.id, name, result.output, result.isError === true));
  }

  /** Manual turn detection: the local VAD's start is `activityStart` (which also stops the model). */
  speechStarted(_atMs: number): void {
    this.assertOpen();
    if (this.settings.turnDetection.type === 'manual') this.send(activityMessage('start'));
  }

  /** Manual turn detection: `activityEnd` ends the user turn and the model answers. */
  speechStopped(_atMs: number): void {
    this.assertOpen();
    if (this.settings.turnDetection.type !== 'manual') return;
    this.turns.answerRequested();
    this.send(activityMessage('end'));
  }

  /** See `ModelTurns.interrupt`: no truncate in Gemini, the model keeps the whole turn. */
  interrupt(options?: InterruptOptions): InterruptResult | null {
    return this.state === 'closed' ? null : this.turns.interrupt(options);
  }

  /** Setup cannot change on a live socket: the session resumes on a new one with the new settings. */
  async updateSession(update: { instructions?: string; tools?: readonly ToolSpec[] }): Promise<void> {
    this.assertOpen();
    this.settings = {
      ...this.settings,
      ...(update.instructions === undefined ? {} : { instructions: update.instructions }),
      ...(update.tools === undefined ? {} : { tools: mergeTools(this.deps.config.tools, update.tools) }),
    };
    if (this.state === 'open') await this.resume('session update');
  }

  close(): Promise<void> {
    this.closing ??= this.finish(undefined);
    return this.closing;
  }

  private readonly onAbort = () => void this.close();

  // ---- connection -------------------------------------------------------------------------

  private async establish(): Promise<void> {
    const handle = this.handle;
    await openSocket(
      {
        baseUrl: this.deps.config.baseUrl,
        apiVersion: this.deps.config.apiVersion,
        apiKey: this.#apiKey,
        timeoutMs: this.deps.config.connectTimeoutMs,
        maxMessageBytes: this.deps.config.maxMessageBytes,
        scheduler: this.deps.scheduler,
      },
      (socket) => this.attach(socket),
    );
    if (this.state === 'closed') {
      this.discardSocket();
      throw new S2SError('closed', `${WHO}: session closed while connecting`);
    }
    const ready = this.waitForSetup();
    this.send(setupMessage({ ...this.settings, ...(handle ? { handle } : {}) }));
    await ready;
    // A resumed session has its context on the server; a new one gets the conversation as text.
    if (!handle && this.log.length > 0) this.send(clientContentMessage(historyTurns(this.log), false));
  }

  private waitForSetup(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const deadline = timer(this.deps.config.connectTimeoutMs, this.deps.scheduler).subscribe(() => {
        this.setupWaiter = undefined;
        reject(new S2SError('timeout', `${WHO}: no setupComplete within ${this.deps.config.connectTimeoutMs} ms`));
      });
      this.setupWaiter = {
        resolve: () => {
          deadline.unsubscribe();
          resolve();
        },
        reject: (error) => {
          deadline.unsubscribe();
          reject(error);
        },
      };
    });
  }

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
    socket.on('message', (data) => {
      if (this.socket === socket) this.onMessage(data.toString());
    });
    watchProviderSocketClose(
      socket,
      (code, reason) => {
        if (this.socket !== socket) return;
        this.socket = undefined;
        this.onClose(code, reason);
      },
      (message) => this.deps.logger.debug(redact(message)),
    );
  }

  private onClose(code: number, reason: string): void {
    const outcome = outcomeOfClose(code, reason, this.deps.config.maxMessageBytes);
    const waiter = this.setupWaiter;
    this.setupWaiter = undefined;
    if (waiter) {
      waiter.reject(outcome.error);
      return;
    }
    if (this.state !== 'open') return;
    if (outcome.kind === 'fatal') {
      this.closing ??= this.finish(outcome.error);
      return;
    }
    void this.resume(outcome.error);
  }

  /**
   * Moves the conversation to a new socket: after a drop (`cause` is the error), on `goAway`, or
   * for a new setup. The handle resumes it; a refused handle is dropped and the log replayed.
   */
  private async resume(cause: S2SError | string): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'resuming';
    const lostAt = this.deps.scheduler.now();
    const reason = typeof cause === 'string' ? cause : cause.message;
    if (typeof cause !== 'string') this.emit({ type: 'error', error: cause });
    this.goAwayPending = false;
    this.goAwayTimer?.unsubscribe();
    this.goAwayTimer = undefined;
    this.turns.finish('incomplete');
    const old = this.socket;
    this.socket = undefined;
    if (old) {
      old.removeAllListeners();
      old.on('error', () => undefined);
      old.close(1000, 'resuming');
    }
    const policy = this.deps.config.reconnect;
    for (let attempt = 1; attempt <= Math.max(1, policy.maxAttempts); attempt++) {
      if (typeof cause !== 'string') await this.delays.wait(backoff(policy, attempt));
      if (this.state !== 'resuming') return;
      const span = this.deps.telemetry.resumeSpan(this.handle ? 'handle' : 'replay', reason);
      try {
        await this.establish();
        endSpan(span);
      } catch (error) {
        const e = asS2SError(error);
        endSpan(span, e.message);
        this.discardSocket();
        if (this.state !== 'resuming') return;
        if (this.handle && e.code === 'invalid-request') {
          this.deps.logger.warn(`resumption handle refused (${e.message}); replaying the conversation as text`);
          this.handle = undefined;
          continue;
        }
        if (e.fatal) {
          this.closing ??= this.finish(e);
          return;
        }
        this.deps.logger.warn(`resumption attempt ${attempt} failed: ${e.message}`);
        continue;
      }
      this.state = 'open';
      const held = this.held.take();
      for (const item of held.items) if (item.kind === 'audio') this.sendFrame(item.frame);
      if (held.droppedMs > 0)
        this.deps.logger.warn(
          `${Math.round(held.droppedMs)} ms of user audio dropped while resuming (${HOLD_WHILE_RESUMING_MS} ms are held)`,
        );
      this.emit({ type: 'reconnected', gapMs: Math.round(this.deps.scheduler.now() - lostAt), attempt });
      return;
    }
    this.closing ??= this.finish(
      new S2SError('connection', `${WHO}: could not resume after ${policy.maxAttempts} attempts (${reason})`, {
        fatal: true,
      }),
    );
  }

  private async finish(error: S2SError | undefined): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.deps.signal?.removeEventListener('abort', this.onAbort);
    this.goAwayTimer?.unsubscribe();
    this.delays.cancelAll();
    const waiter = this.setupWaiter;
    this.setupWaiter = undefined;
    waiter?.reject(new S2SError('closed', `${WHO}: session closed`));
    if (error) this.emit({ type: 'error', error });
    this.turns.close();
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await closeSocket(socket);
    this.closeReason = error?.message;
    this.emit({ type: 'closed', ...(error ? { reason: error.message } : {}) });
    this.subject.complete();
  }

  // ---- server messages ----------------------------------------------------------------------

  private onMessage(text: string): void {
    const parsed = parseServerMessage(text);
    if (!parsed.ok) {
      this.deps.logger.warn(`malformed server message ignored: ${redact(parsed.problem)}`);
      return;
    }
    const message = parsed.message;
    if (message.setupComplete) {
      const waiter = this.setupWaiter;
      this.setupWaiter = undefined;
      waiter?.resolve();
    }
    const update = message.sessionResumptionUpdate;
    if (update?.newHandle && update.resumable !== false) this.handle = update.newHandle;
    if (message.usageMetadata) this.turns.setUsage(message.usageMetadata);
    if (message.goAway) this.onGoAway(durationMs(message.goAway.timeLeft));
    if (message.toolCall) this.turns.onToolCall(message.toolCall.functionCalls ?? []);
    if (message.toolCallCancellation) this.turns.onToolCallCancellation(message.toolCallCancellation.ids ?? []);
    if (message.serverContent && this.turns.onServerContent(message.serverContent) && this.goAwayPending)
      void this.resume('goAway');
  }

  /** Resumes at once when idle, else after the current turn, and at the latest before the deadline. */
  private onGoAway(timeLeftMs: number | undefined): void {
    this.deps.logger.info(`goAway: the server closes this socket in ${timeLeftMs ?? '?'} ms; resuming`);
    if (!this.turns.active) {
      void this.resume('goAway');
      return;
    }
    this.goAwayPending = true;
    const margin = Math.max(0, (timeLeftMs ?? 1000) - 500);
    this.goAwayTimer ??= timer(margin, this.deps.scheduler).subscribe(() => void this.resume('goAway'));
  }

  // ---- plumbing -----------------------------------------------------------------------------

  private send(message: Record<string, unknown>): void {
    const socket = this.socket;
    if (!socket || socket.readyState !== socket.OPEN) {
      this.deps.logger.debug(`${Object.keys(message)[0]} not sent: no open socket`);
      return;
    }
    socket.send(JSON.stringify(message));
  }

  private assertOpen(): void {
    if (this.state === 'closed') throw new S2SError('closed', `${WHO}: session is closed`);
  }

  private emit(event: S2SEvent): void {
    this.subject.next(event);
  }
}

function backoff(policy: GeminiLiveConfig['reconnect'], attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
}
