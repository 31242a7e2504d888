import { Observable, type Subscriber, Subscription, share } from 'rxjs';
import type { ControlEvent } from '../control.js';
import type { Frame, ToolResultFrame } from '../frames.js';
import type { NodeContext } from '../node.js';
import { errorCode } from '../runtime/errors.js';
import { errorMessage } from '../secrets.js';
import type { ConversationConfig } from './conversation-config.js';
import type { ConversationGuard } from './conversation-guard.js';
import { ConversationState } from './conversation-state.js';
import { DrainDeadline } from './drain-deadline.js';
import { audioFrame, responseDoneFrame, toolCallFrame, transcriptFrame } from './provider-event-frames.js';
import {
  type ProviderBridgeInputs,
  type ProviderBridgeOutputs,
  type ProviderOutputPort,
  type Routed,
  splitPorts,
} from './provider-ports.js';
import type { ConversationContext, S2SEvent, S2SProvider, S2SSession } from './s2s.js';
import { SessionReports } from './session-reports.js';
import { startProviderSession } from './session-start.js';
import { SessionTrace } from './session-trace.js';
import { TurnTaking } from './turn-taking.js';

export type { ProviderBridgeInputs, ProviderBridgeOutputs, ProviderOutputPort };

export interface ProviderBridgeOptions {
  readonly provider: S2SProvider;
  readonly context: ConversationContext;
  readonly ctx: NodeContext;
  /** How long `end-session` (or inputs ending on their own) waits for the current response; a stopping pipeline's deadline replaces it. */
  readonly drainTimeoutMs: number;
  readonly conversation: ConversationConfig;
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
  return splitPorts(routed$);
}

class SessionBridge {
  readonly teardown: () => void;
  private readonly ctx: NodeContext;
  private readonly reports: SessionReports;
  private readonly subs = new Subscription();
  private readonly trace: SessionTrace;
  private readonly state: ConversationState;
  private readonly turnTaking: TurnTaking;
  private readonly guard: ConversationGuard;
  private session: S2SSession | undefined;
  private openedAt = 0;
  private draining = false;
  private drainDeadline: DrainDeadline | undefined;
  private finished = false;

  constructor(
    private readonly inputs: ProviderBridgeInputs,
    private readonly options: ProviderBridgeOptions,
    private readonly out: Subscriber<Routed>,
  ) {
    this.ctx = options.ctx;
    this.reports = new SessionReports(this.ctx, options.provider.name);
    this.trace = new SessionTrace(this.ctx, options.provider.name);
    this.state = new ConversationState(this.ctx, this.trace, this.reports);
    this.turnTaking = new TurnTaking(this.ctx, options.conversation, this.state, {
      session: () => this.session,
      send: (call) => this.send(call),
      fail: (message) => this.fail(message),
    });
    this.guard = this.turnTaking.guard;
    this.teardown = () => this.release();
    this.ctx.onClose(() => this.release());
    this.open().catch((error) =>
      this.fail(`cannot start the ${options.provider.name} session: ${errorMessage(error)}`, errorCode(error).code),
    );
  }

  private async open(): Promise<void> {
    const { provider, context } = this.options;
    const ctx = this.ctx;
    const session = await startProviderSession(provider, context, ctx, this.trace, this.reports);
    if (this.finished) {
      await session.close();
      return;
    }
    this.session = session;
    this.openedAt = ctx.now();
    this.guard.activity();
    this.follow(
      session.events$,
      'session',
      (event) => this.onEvent(event),
      () => this.out.complete(),
    );
    this.subs.add(ctx.control.events$.subscribe((event) => this.onControl(event)));
    this.follow(this.inputs.toolResults, 'toolResults input', (frame) => this.onToolResult(frame));
    this.follow(this.inputs.control, 'control input', (frame) => this.onInput(frame));
    // Audio last: its frames may start a reply whose tool calls need the inputs above.
    const audioEnded = () => this.drain('the audio input ended');
    this.follow(this.inputs.audio, 'audio input', (frame) => this.onInput(frame), audioEnded);
  }

  /** Subscribes until release; `what` failing fails the session. */
  private follow<T>(source$: Observable<T>, what: string, next: (value: T) => void, complete?: () => void): void {
    this.subs.add(
      source$.subscribe({ next, error: (error) => this.fail(`${what} failed: ${errorMessage(error)}`), complete }),
    );
  }

  private onEvent(event: S2SEvent): void {
    const now = this.ctx.now();
    const responseId = 'responseId' in event ? event.responseId : undefined;
    // A response stopped by an interrupt (or a stall cancel) is over for the stall watch.
    if (responseId !== undefined && this.state.watched(responseId)) this.guard.responseActivity(responseId);
    switch (event.type) {
      case 'audio':
        if (this.state.audio(event.responseId, event.frame, now)) this.emitFrame('audio', audioFrame(event));
        return;
      case 'transcript':
        this.emitFrame('transcripts', transcriptFrame(event, this.time()));
        return;
      case 'tool-call':
        this.state.toolCalled(event.id);
        this.emitFrame('toolCalls', toolCallFrame(event, this.time(), this.trace.spanContextFor(event.responseId)));
        return;
      case 'tool-calls-cancelled':
        this.ctx.control.send({ type: 'cancel-tool-calls', ids: event.ids, reason: 'cancelled by the provider' });
        return;
      case 'speech-start':
        this.turnTaking.userSpeechStarted();
        this.emitFrame('events', { kind: 'speech-start', timestamp: event.timestamp, source: 'server' });
        return;
      case 'speech-stop':
        if (!this.guard.speechStopped()) this.state.turnEnded(now);
        this.emitFrame('events', { kind: 'speech-stop', timestamp: event.timestamp, source: 'server' });
        return;
      case 'response-start':
        this.onResponseStart(event.responseId, now);
        return;
      case 'response-done':
        this.onResponseDone(event, now);
        return;
      case 'error':
        if (event.error.fatal) this.fail(event.error.message, event.error.code);
        else this.reports.notice(event);
        return;
      default:
        this.reports.notice(event);
        return;
    }
  }

  private onResponseStart(responseId: string, now: number): void {
    this.guard.responseActivity(responseId);
    this.state.responseStarted(responseId, now);
    this.emitFrame('events', { kind: 'response-start', timestamp: this.time(), responseId });
  }

  private onResponseDone(event: Extract<S2SEvent, { type: 'response-done' }>, now: number): void {
    this.state.responseDone(event, now);
    this.guard.responseDone(event.responseId);
    this.emitFrame('events', responseDoneFrame(event, this.time()));
    this.checkDrained();
  }

  /** Frames from the audio and control inputs: audio, local VAD events and text. */
  private onInput(frame: Frame): void {
    const session = this.session;
    if (!session || this.finished) return;
    switch (frame.kind) {
      case 'audio':
        if (this.draining) return;
        // Called directly, not through `send`: no closure per audio frame.
        try {
          session.sendAudio(frame);
        } catch (error) {
          this.callFailed(error);
        }
        return;
      case 'speech-start':
        this.turnTaking.userSpeechStarted();
        this.send(() => session.speechStarted(frame.timestamp));
        return;
      case 'speech-stop':
        if (this.guard.speechStopped()) return;
        this.state.turnEnded(this.ctx.now());
        this.send(() => session.speechStopped(frame.timestamp));
        return;
      case 'text':
        this.state.replyRequested();
        this.send(() => session.sendText(frame.text));
        return;
      default:
        return;
    }
  }

  private onToolResult(frame: ToolResultFrame): void {
    const session = this.session;
    if (!session || this.finished) return;
    this.state.toolAnswered(frame.id);
    this.send(() =>
      session.sendToolResult({ id: frame.id, output: frame.output, ...(frame.isError ? { isError: true } : {}) }),
    );
    this.checkDrained();
  }

  private onControl(event: ControlEvent): void {
    switch (event.type) {
      case 'playout':
        this.state.playout(event.responseId, event.playedMs, event.final === true, this.ctx.now());
        if (!event.final) this.guard.activity();
        return;
      case 'end-session':
        this.drain(`end-session from ${event.source}`);
        return;
      case 'interrupt':
        if (event.source !== this.ctx.id) this.turnTaking.interrupt(event.responseId);
        return;
      default:
        return;
    }
  }

  /** Stop taking audio; close once the current response (and any tool round trip) is over. */
  private drain(reason: string): void {
    if (this.draining || this.finished) return;
    this.draining = true;
    this.drainDeadline = new DrainDeadline(this.ctx, this.options.drainTimeoutMs, (waitedMs) => {
      this.reports.drainTimedOut(waitedMs, reason);
      void this.finish();
    });
    this.drainDeadline.start();
    this.checkDrained();
  }

  private checkDrained(): void {
    if (this.draining && this.state.settled) void this.finish();
  }

  private async finish(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.drainDeadline?.cancel();
    this.guard.close();
    try {
      await this.session?.close();
    } catch (error) {
      this.reports.closeFailed(error);
    }
    this.state.close();
    this.out.complete();
  }

  /** Reports a failure on the bus, once and with its code, and errors every output. */
  private fail(message: string, code?: string): void {
    if (this.out.closed) return;
    this.guard.close();
    const error = this.reports.fatal(message, code);
    this.finished = true;
    this.out.error(error);
  }

  private release(): void {
    this.finished = true;
    this.drainDeadline?.cancel();
    this.guard.close();
    this.subs.unsubscribe();
    this.state.close();
    const session = this.session;
    this.session = undefined;
    session?.close().catch((error) => this.reports.closeFailed(error));
  }

  /** Runs a session call; its errors go to the bus once per distinct message (they repeat per frame). */
  private send(call: () => void): void {
    try {
      call();
    } catch (error) {
      this.callFailed(error);
    }
  }

  private callFailed(error: unknown): void {
    if (!this.finished) this.reports.callFailed(error);
  }

  private emitFrame(port: ProviderOutputPort, frame: Frame): void {
    if (!this.out.closed) this.out.next({ port, frame });
  }

  private time(): number {
    return this.ctx.now() - this.openedAt;
  }
}
