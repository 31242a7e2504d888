import { defer, type Observable, of, Subject, Subscription, startWith } from 'rxjs';
import { type AudioFormat, formatToString, sameFormat } from '../../audio-format.js';
import type { AudioFrame } from '../../frames.js';
import { iterateObservable } from '../event-iterator.js';
import { type BufferedInput, HeldInputBuffer } from '../held-input.js';
import {
  type ConversationContext,
  type HistoryItem,
  type InterruptOptions,
  type InterruptResult,
  S2SError,
  type S2SEvent,
  type S2SProvider,
  type S2SSession,
  type ToolSpec,
} from '../s2s.js';
import { FailoverConversationLog } from './conversation-log.js';
import type { FailoverSwitch } from './failover-provider.js';
import { PcmRateConverter } from './pcm-rate-converter.js';

const WHO = 'provider.failover';

export interface OpenedProvider {
  readonly index: number;
  readonly name: string;
  readonly provider: S2SProvider;
  readonly session: S2SSession;
}

export interface FailoverSessionDeps {
  readonly context: ConversationContext;
  readonly input: AudioFormat;
  readonly output: AudioFormat;
  readonly bufferMs: number;
  readonly now: () => number;
  /** Opens the first available provider (never `exclude`), its session starting from `history`. */
  readonly open: (history: readonly HistoryItem[], exclude: number | undefined) => Promise<OpenedProvider>;
  readonly shouldSwitch: (index: number, error: S2SError) => boolean;
  readonly failed: (index: number, error: S2SError) => void;
  readonly onSwitch: (report: FailoverSwitch) => void;
}

interface Current extends OpenedProvider {
  subscription: Subscription;
  readonly toProvider: PcmRateConverter | undefined;
  readonly fromProvider: PcmRateConverter | undefined;
}

let seq = 0;

/** A conversation that outlives its providers: see `FailoverProvider`. */
export class FailoverSession implements S2SSession {
  readonly id = `failover-${++seq}`;
  private readonly subject = new Subject<S2SEvent>();
  readonly events$: Observable<S2SEvent> = defer(() =>
    this.state === 'closed'
      ? of<S2SEvent>({ type: 'closed', ...(this.closeReason ? { reason: this.closeReason } : {}) })
      : this.subject.pipe(startWith<S2SEvent>({ type: 'session-started', sessionId: this.id })),
  );
  /** `holding`: the provider is reconnecting by itself; input waits for it (or for the next provider). */
  private state: 'starting' | 'open' | 'holding' | 'switching' | 'closed' = 'starting';
  private closeReason: string | undefined;
  private current: Current | undefined;
  private readonly log: FailoverConversationLog;
  private readonly buffer: HeldInputBuffer;
  /** User audio since the last completed reply: replayed to the next provider when a turn was cut off. */
  private readonly recent: HeldInputBuffer;
  /** Which provider asked for each tool call. */
  private readonly toolCalls = new Map<string, { index: number; name: string; answered: boolean }>();
  private readonly openResponses = new Set<string>();
  private switches = 0;

  constructor(private readonly deps: FailoverSessionDeps) {
    this.log = new FailoverConversationLog(deps.context.history);
    this.buffer = new HeldInputBuffer(deps.bufferMs);
    this.recent = new HeldInputBuffer(deps.bufferMs);
  }

  [Symbol.asyncIterator](): AsyncIterator<S2SEvent> {
    return iterateObservable(this.events$);
  }

  async start(): Promise<void> {
    try {
      this.attach(await this.deps.open(this.log.snapshot(), undefined));
      this.state = 'open';
    } catch (error) {
      this.state = 'closed';
      this.subject.complete();
      throw error;
    }
  }

  /** Which provider the conversation runs on now (undefined while switching). */
  get activeProvider(): string | undefined {
    return this.current?.name;
  }

  sendAudio(frame: AudioFrame): void {
    this.assertOpen();
    if (!sameFormat(frame.format, this.deps.input)) {
      throw new S2SError(
        'invalid-input',
        `${WHO}: audio must be ${formatToString(this.deps.input)}, got ${formatToString(frame.format)}; insert audio.resample`,
      );
    }
    this.deliver({ kind: 'audio', frame });
  }

  sendText(text: string, options?: { respond?: boolean }): void {
    this.assertOpen();
    this.log.add({ type: 'message', role: 'user', text });
    this.deliver({ kind: 'text', text, respond: options?.respond ?? true });
  }

  sendToolResult(result: { id: string; output: string; isError?: boolean }): void {
    this.assertOpen();
    const call = this.toolCalls.get(result.id);
    if (!call) throw new S2SError('unknown-tool-call', `${WHO}: no tool call with id "${result.id}" in this session`);
    if (call.answered) throw new S2SError('unknown-tool-call', `${WHO}: tool call "${result.id}" was already answered`);
    call.answered = true;
    this.log.add({ type: 'tool-result', id: result.id, output: result.output });
    const current = this.current;
    if (current && current.index === call.index) {
      current.session.sendToolResult(result);
      return;
    }
    // The provider that asked is gone: the next one reads the result as text and answers.
    this.deliver({
      kind: 'text',
      text: `[result of ${call.name} (call ${result.id}): ${result.output}]`,
      respond: true,
    });
  }

  speechStarted(atMs: number): void {
    this.assertOpen();
    this.deliver({ kind: 'speech-start', atMs });
  }

  speechStopped(atMs: number): void {
    this.assertOpen();
    this.deliver({ kind: 'speech-stop', atMs });
  }

  interrupt(options?: InterruptOptions): InterruptResult | null {
    if (this.state === 'closed' || this.state === 'switching' || !this.current) return null;
    return this.current.session.interrupt(options);
  }

  async updateSession(update: { instructions?: string; tools?: readonly ToolSpec[] }): Promise<void> {
    this.assertOpen();
    await this.current?.session.updateSession(update);
  }

  async close(): Promise<void> {
    await this.finish(undefined);
  }

  // ---- switching ---------------------------------------------------------------------------

  private attach(opened: OpenedProvider): void {
    const caps = opened.provider.capabilities;
    const wire = caps.input.sampleRate?.includes(this.deps.input.sampleRate)
      ? this.deps.input
      : { ...this.deps.input, sampleRate: caps.input.sampleRate?.[0] ?? this.deps.input.sampleRate };
    const current: Current = {
      ...opened,
      toProvider: sameFormat(wire, this.deps.input) ? undefined : new PcmRateConverter(this.deps.input, wire),
      fromProvider: sameFormat(caps.output, this.deps.output)
        ? undefined
        : new PcmRateConverter(caps.output, this.deps.output),
      subscription: Subscription.EMPTY,
    };
    this.current = current;
    current.subscription = opened.session.events$.subscribe((event) => this.onEvent(current, event));
  }

  private onEvent(from: Current, event: S2SEvent): void {
    if (this.current !== from) return;
    switch (event.type) {
      case 'session-started':
        return;
      case 'closed':
        void this.switchFrom(
          from,
          new S2SError('connection', `session closed${event.reason ? `: ${event.reason}` : ''}`),
        );
        return;
      case 'error':
        if (this.deps.shouldSwitch(from.index, event.error)) {
          void this.switchFrom(from, event.error);
          return;
        }
        // A dropped socket the provider tries to resume: hold the user's input meanwhile.
        if (event.error.code === 'connection' && this.state === 'open') this.state = 'holding';
        this.emit(event);
        return;
      case 'reconnected':
        this.emit(event);
        if (this.state === 'holding') this.release();
        return;
      case 'audio': {
        const frame = from.fromProvider ? from.fromProvider.convert(event.frame) : event.frame;
        this.emit({ ...event, frame });
        return;
      }
      case 'tool-call':
        this.toolCalls.set(event.id, { index: from.index, name: event.name, answered: false });
        break;
      case 'response-start':
        this.openResponses.add(event.responseId);
        break;
      case 'response-done':
        this.openResponses.delete(event.responseId);
        if (event.status === 'completed') this.recent.take();
        break;
    }
    this.log.observe(event);
    this.emit(event);
  }

  private async switchFrom(failed: Current, error: S2SError): Promise<void> {
    if (this.current !== failed || (this.state !== 'open' && this.state !== 'holding')) return;
    this.state = 'switching';
    this.current = undefined;
    const lostAt = this.deps.now();
    this.deps.failed(failed.index, error);
    failed.subscription.unsubscribe();
    void failed.session.close().catch(() => undefined);
    for (const responseId of this.openResponses) this.emit({ type: 'response-done', responseId, status: 'failed' });
    this.openResponses.clear();
    this.emit({
      type: 'error',
      error: new S2SError(error.code, `${WHO}: ${failed.name} failed (${error.message}); switching provider`, {
        cause: error,
      }),
    });
    // What the user said after the last completed reply goes to the next provider: as the audio
    // (held since that reply; the socket may have swallowed it), else as its transcript.
    const { items: cutOff, audioMs: replayedMs } = this.recent.take();
    const history = this.log.snapshot();
    const last = history.at(-1);
    const userLast = last?.type === 'message' && last.role === 'user' ? last.text : undefined;
    const unanswered = cutOff.length === 0 ? userLast : undefined;
    let next: OpenedProvider;
    try {
      next = await this.deps.open(userLast === undefined ? history : history.slice(0, -1), failed.index);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      const held = this.buffer.take();
      this.deps.onSwitch({
        from: failed.name,
        reason,
        code: error.code,
        bufferedMs: held.audioMs,
        replayedMs: 0,
        droppedMs: held.audioMs + held.droppedMs + replayedMs,
        gapMs: this.deps.now() - lostAt,
      });
      await this.finish(e instanceof S2SError ? e : new S2SError('connection', reason, { fatal: true }));
      return;
    }
    if (this.state !== 'switching') {
      await next.session.close();
      return;
    }
    this.attach(next);
    const gapMs = this.deps.now() - lostAt;
    const { bufferedMs, droppedMs } = this.buffer.stats();
    this.deps.onSwitch({
      from: failed.name,
      to: next.name,
      reason: error.message,
      code: error.code,
      bufferedMs,
      replayedMs,
      droppedMs,
      gapMs,
    });
    this.state = 'open';
    if (unanswered !== undefined) next.session.sendText(unanswered, { respond: true });
    for (const item of cutOff) this.deliver(item);
    this.release();
    this.emit({ type: 'reconnected', gapMs: Math.round(gapMs), attempt: ++this.switches });
  }

  /** Sends what was held to the current session, in order. */
  private release(): void {
    this.state = 'open';
    for (const item of this.buffer.take().items) this.deliver(item);
  }

  private deliver(item: BufferedInput): void {
    const current = this.current;
    if (this.state !== 'open' || !current) {
      this.buffer.push(item);
      return;
    }
    const session = current.session;
    switch (item.kind) {
      case 'audio':
        this.recent.push(item);
        session.sendAudio(current.toProvider ? current.toProvider.convert(item.frame) : item.frame);
        return;
      case 'text':
        session.sendText(item.text, { respond: item.respond });
        return;
      case 'speech-start':
        session.speechStarted(item.atMs);
        return;
      case 'speech-stop':
        session.speechStopped(item.atMs);
        return;
    }
  }

  private async finish(error: S2SError | undefined): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    const current = this.current;
    if (current) {
      // Its own closing events (response-done of a cut response) still come through.
      await current.session.close();
      current.subscription.unsubscribe();
    }
    this.current = undefined;
    for (const responseId of this.openResponses) this.emit({ type: 'response-done', responseId, status: 'cancelled' });
    this.openResponses.clear();
    if (error)
      this.emit({ type: 'error', error: new S2SError(error.code, error.message, { fatal: true, cause: error }) });
    this.closeReason = error?.message;
    this.emit({ type: 'closed', ...(error ? { reason: error.message } : {}) });
    this.subject.complete();
  }

  private assertOpen(): void {
    if (this.state === 'closed') throw new S2SError('closed', `${WHO}: session is closed`);
  }

  private emit(event: S2SEvent): void {
    this.subject.next(event);
  }
}
