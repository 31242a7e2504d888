import { filter, map, Observable, type Subscriber, Subscription, share } from 'rxjs';
import type { ControlEvent } from '../control.js';
import type { AudioFrame, Frame, FrameOf, ToolResultFrame } from '../frames.js';
import { audioDurationMs } from '../frames.js';
import type { NodeContext } from '../node.js';
import { NodeReportedError } from '../runtime/errors.js';
import { errorMessage } from '../secrets.js';
import type { ConversationConfig } from './conversation-config.js';
import { ConversationGuard } from './conversation-guard.js';
import { DrainDeadline } from './drain-deadline.js';
import { ResponseLedger } from './response-ledger.js';
import type { ConversationContext, S2SEvent, S2SProvider, S2SSession, ToolSpec } from './s2s.js';
import { SessionTrace } from './session-trace.js';
import { TurnTracker } from './turn-tracker.js';

export type ProviderOutputPort = 'audio' | 'transcripts' | 'toolCalls' | 'events';

export interface ProviderBridgeInputs {
  readonly audio: Observable<Frame>;
  readonly toolResults: Observable<ToolResultFrame>;
  readonly control: Observable<Frame>;
}

export interface ProviderBridgeOptions {
  readonly provider: S2SProvider;
  readonly context: ConversationContext;
  readonly ctx: NodeContext;
  /** How long `end-session` (or inputs ending on their own) waits for the current response; a stopping pipeline's deadline replaces it. */
  readonly drainTimeoutMs: number;
  readonly conversation: ConversationConfig;
}

/** The frames each output port carries. */
export interface ProviderBridgeOutputs {
  readonly audio: Observable<AudioFrame>;
  readonly transcripts: Observable<FrameOf<'transcript'>>;
  readonly toolCalls: Observable<FrameOf<'tool-call'>>;
  readonly events: Observable<FrameOf<'speech-start' | 'speech-stop' | 'response-start' | 'response-done'>>;
}

interface Routed {
  readonly port: ProviderOutputPort;
  readonly frame: Frame;
}

/**
 * Adapts a provider session to the provider node's ports. One session per subscription: it opens
 * when the outputs are subscribed (the pipeline starts) and closes when the inputs end (after the
 * current response, within `drainTimeoutMs`), on `end-session`, on unsubscribe or node close, or
 * when the session fails.
 */
export function bridgeProvider(inputs: ProviderBridgeInputs, options: ProviderBridgeOptions): ProviderBridgeOutputs {
  const routed$ = new Observable<Routed>((subscriber) => new SessionBridge(inputs, options, subscriber).teardown).pipe(
    share({ resetOnComplete: false, resetOnError: false, resetOnRefCountZero: true }),
  );
  const port = <F extends Frame>(name: ProviderOutputPort) =>
    routed$.pipe(
      filter((r) => r.port === name),
      map((r) => r.frame as F),
    );
  return {
    audio: port('audio'),
    transcripts: port('transcripts'),
    toolCalls: port('toolCalls'),
    events: port('events'),
  };
}

class SessionBridge {
  readonly teardown: () => void;
  private readonly ctx: NodeContext;
  private readonly label: string;
  private readonly subs = new Subscription();
  private readonly ledger = new ResponseLedger();
  private readonly turns: TurnTracker;
  private readonly guard: ConversationGuard;
  private readonly pendingCalls = new Set<string>();
  private readonly reported = new Set<string>();
  private readonly trace: SessionTrace;
  private session: S2SSession | undefined;
  private openedAt = 0;
  private lastTurnEndAt: number | undefined;
  private awaitingResponse = false;
  private draining = false;
  private drainDeadline: DrainDeadline | undefined;
  private finished = false;

  constructor(
    private readonly inputs: ProviderBridgeInputs,
    private readonly options: ProviderBridgeOptions,
    private readonly out: Subscriber<Routed>,
  ) {
    this.ctx = options.ctx;
    this.label = `${this.ctx.type} "${this.ctx.id}"`;
    this.trace = new SessionTrace(this.ctx, options.provider.name);
    this.turns = new TurnTracker(this.ctx, () => this.trace.context);
    this.guard = new ConversationGuard(options.conversation, this.ctx, {
      bargeIn: () => this.bargeIn(),
      idle: (action) => this.onIdle(action),
      stalled: (responseId) => this.onStalled(responseId),
      busy: () => this.ledger.interruptible() !== undefined,
    });
    this.teardown = () => this.release();
    this.ctx.onClose(() => this.release());
    this.open().catch((error) =>
      this.fail(`cannot start the ${options.provider.name} session: ${errorMessage(error)}`, codeOf(error)),
    );
  }

  private async open(): Promise<void> {
    const { provider } = this.options;
    const ctx = this.ctx;
    const context = { ...this.options.context, tools: this.tools() };
    const traceContext = this.trace.openSession();
    const session = await provider.startSession(context, {
      signal: ctx.signal,
      logger: ctx.logger,
      tracer: ctx.tracer,
      meter: ctx.meter,
      traceContext,
    });
    if (this.finished) {
      await session.close();
      return;
    }
    this.session = session;
    this.openedAt = ctx.now();
    this.guard.activity();
    this.subs.add(
      session.events$.subscribe({
        next: (event) => this.onEvent(event),
        error: (error) => this.fail(`session failed: ${errorMessage(error)}`),
        complete: () => this.out.complete(),
      }),
    );
    this.subs.add(ctx.control.events$.subscribe((event) => this.onControl(event)));
    this.subs.add(
      this.inputs.toolResults.subscribe({
        next: (frame) => this.onToolResult(frame),
        error: (error) => this.fail(`toolResults input failed: ${errorMessage(error)}`),
      }),
    );
    this.subs.add(
      this.inputs.control.subscribe({
        next: (frame) => this.onInput(frame),
        error: (error) => this.fail(`control input failed: ${errorMessage(error)}`),
      }),
    );
    // Audio last: its frames may start a reply whose tool calls need the inputs above.
    this.subs.add(
      this.inputs.audio.subscribe({
        next: (frame) => this.onInput(frame),
        error: (error) => this.fail(`audio input failed: ${errorMessage(error)}`),
        complete: () => this.drain('the audio input ended'),
      }),
    );
  }

  /** The context's tools plus those offered by linked nodes (a tool router), each name once. */
  private tools(): readonly ToolSpec[] {
    const all = [...(this.options.context.tools ?? []), ...this.ctx.linkedOffers<readonly ToolSpec[]>('tools').flat()];
    const byName = new Map<string, ToolSpec>();
    for (const tool of all) {
      if (byName.has(tool.name)) {
        this.ctx.emit({
          type: 'warning',
          code: 'duplicate-tool',
          message: `${this.label}: tool "${tool.name}" is offered twice; using the first`,
        });
      } else {
        byName.set(tool.name, tool);
      }
    }
    if (byName.size > 0 && !this.options.provider.capabilities.tools) {
      this.ctx.emit({
        type: 'warning',
        code: 'tools-unsupported',
        message: `${this.label}: provider ${this.options.provider.name} does not call tools; ${byName.size} linked tool(s) ignored`,
      });
      return [];
    }
    return [...byName.values()];
  }

  private onEvent(event: S2SEvent): void {
    const now = this.ctx.now();
    const responseId = 'responseId' in event ? event.responseId : undefined;
    const record = responseId === undefined ? undefined : this.ledger.get(responseId);
    // A response stopped by an interrupt (or a stall cancel) is over for the stall watch.
    if (responseId !== undefined && record?.active !== false && !record?.interrupted) {
      this.guard.responseActivity(responseId);
    }
    switch (event.type) {
      case 'audio':
        this.onAudio(event.responseId, event.frame, now);
        return;
      case 'transcript':
        this.emitFrame('transcripts', {
          kind: 'transcript',
          timestamp: this.time(),
          role: event.role,
          text: event.text,
          final: event.final,
          ...(event.itemId === undefined ? {} : { itemId: event.itemId }),
          ...(event.responseId === undefined ? {} : { responseId: event.responseId }),
        });
        return;
      case 'tool-call': {
        this.pendingCalls.add(event.id);
        const spanContext = this.trace.spanContextFor(event.responseId);
        this.emitFrame('toolCalls', {
          kind: 'tool-call',
          timestamp: this.time(),
          id: event.id,
          name: event.name,
          arguments: event.arguments,
          ...(event.responseId === undefined ? {} : { responseId: event.responseId }),
          ...(spanContext ? { spanContext } : {}),
        });
        return;
      }
      case 'tool-calls-cancelled':
        this.ctx.control.send({ type: 'cancel-tool-calls', ids: event.ids, reason: 'cancelled by the provider' });
        return;
      case 'speech-start':
        this.userSpeechStarted();
        this.emitFrame('events', { kind: 'speech-start', timestamp: event.timestamp, source: 'server' });
        return;
      case 'speech-stop':
        if (!this.guard.speechStopped()) this.turnEnded(now);
        this.emitFrame('events', { kind: 'speech-stop', timestamp: event.timestamp, source: 'server' });
        return;
      case 'response-start':
        this.onResponseStart(event.responseId, now);
        return;
      case 'response-done':
        this.onResponseDone(event, now);
        return;
      case 'error':
        if (event.error.fatal) {
          this.fail(event.error.message, event.error.code);
          return;
        }
        this.ctx.emit({
          type: 'error',
          code: event.error.code,
          message: `${this.label}: ${event.error.message}`,
          fatal: false,
        });
        return;
      case 'reconnected':
        this.ctx.emit({
          type: 'warning',
          code: 'reconnected',
          message: `${this.label}: reconnected after ${event.gapMs} ms (attempt ${event.attempt})`,
        });
        return;
      case 'warning':
        this.ctx.emit({ type: 'warning', code: event.code, message: `${this.label}: ${event.message}` });
        return;
      case 'session-started':
      case 'interrupted':
      case 'closed':
        this.ctx.logger.debug(`${this.label}: ${event.type}`, { ...event });
        return;
    }
  }

  private onAudio(responseId: string, frame: AudioFrame, now: number): void {
    const record = this.ledger.ensure(responseId, now);
    if (record.interrupted) return;
    if (record.firstAudioAt === undefined) {
      record.firstAudioAt = now;
      this.turns.firstAudio(responseId, now);
      const sinceTurnEnd = this.lastTurnEndAt === undefined ? undefined : now - this.lastTurnEndAt;
      this.ctx.emit({
        type: 'mark',
        name: 'first-audio',
        data: { responseId, sinceResponseStartMs: now - record.startedAt, sinceTurnEndMs: sinceTurnEnd },
      });
    }
    record.receivedMs += audioDurationMs(frame);
    this.emitFrame('audio', frame.responseId === responseId ? frame : { ...frame, responseId });
  }

  private onResponseStart(responseId: string, now: number): void {
    this.ledger.start(responseId, now);
    this.turns.responseStarted(responseId);
    this.guard.responseActivity(responseId);
    this.awaitingResponse = false;
    this.trace.responseStarted(responseId, this.turns.contextOf(responseId));
    this.ctx.emit({ type: 'mark', name: 'response-start', data: { responseId } });
    this.emitFrame('events', { kind: 'response-start', timestamp: this.time(), responseId });
  }

  private onResponseDone(event: Extract<S2SEvent, { type: 'response-done' }>, now: number): void {
    const record = this.ledger.ensure(event.responseId, now);
    record.active = false;
    this.turns.responseDone(event.responseId, event.status);
    this.guard.responseDone(event.responseId);
    this.trace.responseDone(event.responseId, event.status);
    this.ctx.emit({
      type: 'mark',
      name: 'response-done',
      data: {
        responseId: event.responseId,
        status: event.status,
        audioMs: record.receivedMs,
        durationMs: now - record.startedAt,
      },
    });
    if (event.usage) {
      const attributes = { provider: this.options.provider.name };
      this.ctx.emit({
        type: 'metric',
        name: 'provider.tokens.input',
        value: event.usage.inputTokens,
        unit: 'tokens',
        attributes,
      });
      this.ctx.emit({
        type: 'metric',
        name: 'provider.tokens.output',
        value: event.usage.outputTokens,
        unit: 'tokens',
        attributes,
      });
      this.ctx.emit({
        type: 'metric',
        name: 'provider.tokens.total',
        value: event.usage.totalTokens,
        unit: 'tokens',
        attributes,
      });
    }
    this.emitFrame('events', {
      kind: 'response-done',
      timestamp: this.time(),
      responseId: event.responseId,
      status: event.status,
      ...(event.usage ? { usage: event.usage } : {}),
    });
    this.checkDrained();
  }

  /** Frames from the audio and control inputs: audio, local VAD events and text. */
  private onInput(frame: Frame): void {
    const session = this.session;
    if (!session || this.finished) return;
    switch (frame.kind) {
      case 'audio':
        if (!this.draining) this.send(() => session.sendAudio(frame));
        return;
      case 'speech-start':
        this.userSpeechStarted();
        this.send(() => session.speechStarted(frame.timestamp));
        return;
      case 'speech-stop':
        if (this.guard.speechStopped()) return;
        this.turnEnded(this.ctx.now());
        this.send(() => session.speechStopped(frame.timestamp));
        return;
      case 'text':
        this.awaitingResponse = true;
        this.send(() => session.sendText(frame.text));
        return;
      default:
        return;
    }
  }

  private onToolResult(frame: ToolResultFrame): void {
    const session = this.session;
    if (!session || this.finished) return;
    this.pendingCalls.delete(frame.id);
    if (this.pendingCalls.size === 0) this.awaitingResponse = true;
    this.send(() =>
      session.sendToolResult({ id: frame.id, output: frame.output, ...(frame.isError ? { isError: true } : {}) }),
    );
    this.checkDrained();
  }

  private onControl(event: ControlEvent): void {
    switch (event.type) {
      case 'playout':
        this.ledger.playout(event.responseId, event.playedMs, event.final === true);
        this.turns.playout(event.responseId, event.playedMs, event.final === true, this.ctx.now());
        if (!event.final) this.guard.activity();
        return;
      case 'end-session':
        this.drain(`end-session from ${event.source}`);
        return;
      case 'interrupt':
        if (event.source !== this.ctx.id) this.interruptSession(event.responseId);
        return;
      default:
        return;
    }
  }

  /**
   * The user started speaking. If a response is still generating or playing: flush downstream
   * first (the pacer answers with its final playout at once), then truncate the session's response
   * at what was actually played, and drop whatever audio of it still arrives.
   */
  private bargeIn(): void {
    const record = this.ledger.interruptible();
    if (!record) return;
    record.interrupted = true;
    this.turns.bargedIn(record.id, this.ctx.now());
    this.ctx.control.send({ type: 'interrupt', responseId: record.id, reason: 'barge-in' });
    this.interruptSession(record.id);
    this.turns.interruptDone(record.id, this.ctx.now());
  }

  /** Speech over a playing reply interrupts it (or, within `falseInterruptionMs`, only pauses it). */
  private userSpeechStarted(): void {
    const playing = this.ledger.interruptible()?.id;
    // Speech while tools run (and nothing plays) still interrupts: cancellable tools must stop.
    if (playing === undefined && this.pendingCalls.size > 0) {
      this.ctx.control.send({ type: 'interrupt', reason: 'user spoke during a tool call' });
    }
    this.guard.speechStarted(playing);
  }

  private onIdle(action: 'prompt' | 'end'): void {
    if (action === 'prompt') {
      const session = this.session;
      if (!session) return;
      this.awaitingResponse = true;
      this.send(() => session.sendText(this.options.conversation.idlePrompt));
      this.guard.activity();
      return;
    }
    this.ctx.control.send({ type: 'end-session', reason: 'idle timeout' });
  }

  private onStalled(responseId: string): void {
    switch (this.options.conversation.stallAction) {
      case 'cancel':
        this.ctx.control.send({ type: 'interrupt', responseId, reason: 'stalled' });
        this.interruptSession(responseId);
        return;
      case 'end':
        this.fail(
          `response ${responseId} stalled: no provider event for ${this.options.conversation.stallTimeoutMs} ms`,
        );
        return;
      case 'report':
        return;
    }
  }

  private interruptSession(responseId: string | undefined): void {
    const record = responseId === undefined ? this.ledger.interruptible() : this.ledger.get(responseId);
    if (!record || !this.session) return;
    record.interrupted = true;
    const playedMs = Math.min(record.playedMs ?? record.receivedMs, record.receivedMs);
    this.ctx.emit({
      type: 'mark',
      name: 'interrupt',
      data: { responseId: record.id, playedMs, receivedMs: record.receivedMs },
    });
    this.send(() => this.session?.interrupt({ playedMs }));
  }

  private turnEnded(now: number): void {
    this.lastTurnEndAt = now;
    this.turns.userSpeechEnded(now);
    this.awaitingResponse = true;
  }

  /** Stop taking audio; close once the current response (and any tool round trip) is over. */
  private drain(reason: string): void {
    if (this.draining || this.finished) return;
    this.draining = true;
    this.drainDeadline = new DrainDeadline(this.ctx, this.options.drainTimeoutMs, (waitedMs) => {
      this.ctx.emit({
        type: 'warning',
        code: 'drain-timeout',
        message: `${this.label}: still responding ${Math.round(waitedMs)} ms after ${reason}; closing the session`,
      });
      void this.finish();
    });
    this.drainDeadline.start();
    this.checkDrained();
  }

  private checkDrained(): void {
    if (this.draining && !this.ledger.anyActive && this.pendingCalls.size === 0 && !this.awaitingResponse) {
      void this.finish();
    }
  }

  private async finish(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.drainDeadline?.cancel();
    this.guard.close();
    try {
      await this.session?.close();
    } catch (error) {
      this.ctx.emit({
        type: 'warning',
        code: 'close-failed',
        message: `${this.label}: closing the session: ${errorMessage(error)}`,
      });
    }
    this.endSpans();
    this.out.complete();
  }

  /**
   * Reports a failure on the bus, once and with its code, and errors every output with an error
   * marked as reported (the runtime then applies the node's policy without a second report).
   */
  private fail(message: string, code?: string): void {
    if (this.out.closed) return;
    this.guard.close();
    const text = `${this.label}: ${message}`;
    this.ctx.emit({ type: 'error', message: text, fatal: true, ...(code === undefined ? {} : { code }) });
    this.finished = true;
    this.out.error(new NodeReportedError(text, code));
  }

  private release(): void {
    this.finished = true;
    this.drainDeadline?.cancel();
    this.guard.close();
    this.subs.unsubscribe();
    this.endSpans();
    const session = this.session;
    this.session = undefined;
    session?.close().catch((error) => {
      this.ctx.emit({
        type: 'warning',
        code: 'close-failed',
        message: `${this.label}: closing the session: ${errorMessage(error)}`,
      });
    });
  }

  private endSpans(): void {
    this.turns.close();
    this.trace.end();
  }

  /** Runs a session call; its errors go to the bus once per distinct message (they repeat per frame). */
  private send(call: () => void): void {
    try {
      call();
    } catch (error) {
      if (this.finished) return;
      const message = `${this.label}: ${errorMessage(error)}`;
      if (this.reported.has(message)) return;
      this.reported.add(message);
      const code = codeOf(error);
      this.ctx.emit({ type: 'error', message, fatal: false, ...(code === undefined ? {} : { code }) });
    }
  }

  private emitFrame(port: ProviderOutputPort, frame: Frame): void {
    if (!this.out.closed) this.out.next({ port, frame });
  }

  private time(): number {
    return this.ctx.now() - this.openedAt;
  }
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
