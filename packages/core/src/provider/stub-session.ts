import {
  asyncScheduler,
  defer,
  type Observable,
  of,
  type SchedulerLike,
  Subject,
  type Subscription,
  startWith,
} from 'rxjs';
import { formatToString } from '../audio-format.js';
import { capsMismatches, capsToString } from '../caps.js';
import type { AudioFrame, ResponseStatus } from '../frames.js';
import { EnergyTurnDetector, type EnergyTurnOptions } from './energy-turn-detector.js';
import { iterateObservable } from './event-iterator.js';
import {
  type ConversationContext,
  type InterruptOptions,
  type InterruptResult,
  type S2SCapabilities,
  S2SError,
  type S2SEvent,
  type S2SSession,
  type StartSessionOptions,
  type ToolSpec,
} from './s2s.js';
import { TurnRecorder } from './turn-recorder.js';

/** What every stub session is configured with. */
/** What the stub providers declare: pcm16 mono at one rate in and out, their own turn detection. */
export function stubCapabilities(
  sampleRate: number,
  features: { tools: boolean; transcripts: boolean },
): S2SCapabilities {
  return {
    input: { encoding: ['pcm16'], sampleRate: [sampleRate], channels: [1] },
    output: { encoding: 'pcm16', sampleRate, channels: 1 },
    serverVad: true,
    interruption: true,
    ...features,
  };
}

export interface StubSessionSettings {
  readonly providerName: string;
  readonly id: string;
  readonly capabilities: S2SCapabilities;
  readonly scheduler: SchedulerLike;
  /** Delay between the end of a user turn (or a tool result) and the reply. */
  readonly latencyMs: number;
  /** Emit reply audio at playback speed (one 20 ms chunk per 20 ms) instead of all at once. */
  readonly realtime: boolean;
  readonly turnDetection: EnergyTurnOptions;
  /** Longest user turn kept for playback. */
  readonly maxTurnMs: number;
  /** Tools the session offers (from the context); a scripted call to another one is reported. */
  readonly tools: readonly ToolSpec[];
  readonly signal?: AbortSignal;
}

/** Options both stub providers take. */
export interface StubProviderOptions {
  readonly latencyMs: number;
  readonly realtime: boolean;
  readonly maxTurnMs: number;
  readonly turnDetection: EnergyTurnOptions;
  readonly scheduler?: SchedulerLike;
}

/** The settings of a stub provider's next session. */
export function stubSessionSettings(
  provider: { readonly name: string; readonly capabilities: S2SCapabilities },
  id: string,
  options: StubProviderOptions,
  context: ConversationContext,
  start?: StartSessionOptions,
): StubSessionSettings {
  return {
    providerName: provider.name,
    id,
    capabilities: provider.capabilities,
    scheduler: options.scheduler ?? asyncScheduler,
    latencyMs: options.latencyMs,
    realtime: options.realtime,
    turnDetection: options.turnDetection,
    maxTurnMs: options.maxTurnMs,
    tools: context.tools ?? [],
    signal: start?.signal,
  };
}

/** One piece of a stub's reply, played in order. */
export type ReplyPart =
  | { readonly kind: 'audio'; readonly samples: Int16Array }
  | { readonly kind: 'transcript'; readonly text: string }
  | { readonly kind: 'tool-call'; readonly name: string; readonly arguments: string }
  | { readonly kind: 'error'; readonly error: S2SError };

/** A user turn in media time: from the start to the end of speech. */
export interface UserTurn {
  readonly startMs: number;
  readonly endMs: number;
}

interface ActiveReply {
  readonly id: string;
  readonly parts: readonly ReplyPart[];
  readonly startTimestamp: number;
  part: number;
  offset: number;
  emittedSamples: number;
  timer?: Subscription;
}

interface QueuedReply {
  readonly parts: readonly ReplyPart[];
  readonly readyAt: number;
}

const CHUNK_MS = 20;

/**
 * The machinery the stub providers share: input checks, turn detection (their own energy
 * detector, bypassed once a local VAD calls `speechStarted`/`speechStopped`), a queue of replies
 * played one at a time, interruption, tool call bookkeeping and a clean close. All timing goes
 * through the injected scheduler, and every timer is tracked so close cancels it.
 */
export abstract class StubSession implements S2SSession {
  readonly id: string;
  readonly events$: Observable<S2SEvent>;
  private readonly subject = new Subject<S2SEvent>();
  private readonly timers = new Set<Subscription>();
  private readonly detector: EnergyTurnDetector;
  private readonly recorder: TurnRecorder;
  private readonly startedAt: number;
  private readonly chunkSamples: number;
  private readonly calls = new Map<string, { responseId: string; answered: boolean }>();
  private readonly onAbort = () => void this.close('aborted');
  private queue: QueuedReply[] = [];
  private active: ActiveReply | undefined;
  private pumpTimer: Subscription | undefined;
  private externalVad = false;
  private externalStartMs: number | undefined;
  private replies = 0;
  private callCount = 0;
  private closed = false;
  private tools: readonly ToolSpec[];

  constructor(protected readonly settings: StubSessionSettings) {
    this.id = settings.id;
    this.tools = settings.tools;
    const rate = settings.capabilities.output.sampleRate;
    this.detector = new EnergyTurnDetector(settings.turnDetection, rate);
    this.recorder = new TurnRecorder(rate, settings.maxTurnMs);
    this.chunkSamples = Math.round((rate * CHUNK_MS) / 1000);
    this.startedAt = settings.scheduler.now();
    const started: S2SEvent = { type: 'session-started', sessionId: this.id };
    this.events$ = defer(() =>
      this.closed ? of<S2SEvent>({ type: 'closed' }) : this.subject.pipe(startWith(started)),
    );
    settings.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Timers not yet fired or cancelled: zero once the session is closed. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  [Symbol.asyncIterator](): AsyncIterator<S2SEvent> {
    return iterateObservable(this.events$);
  }

  sendAudio(frame: AudioFrame): void {
    this.assertOpen('sendAudio');
    const caps = this.settings.capabilities.input;
    if (capsMismatches(frame.format, caps).length > 0 || !(frame.samples instanceof Int16Array)) {
      throw new S2SError(
        'invalid-input',
        `${this.label}: sendAudio got ${formatToString(frame.format)}; this provider accepts ${capsToString(caps)}`,
      );
    }
    this.recorder.push(frame.samples, frame.timestamp);
    if (this.externalVad) return;
    for (const event of this.detector.push(frame.samples, frame.timestamp)) {
      if (event.type === 'start') {
        this.emit({ type: 'speech-start', timestamp: event.atMs });
      } else {
        this.emit({ type: 'speech-stop', timestamp: event.endMs });
        this.onUserTurn(event);
      }
    }
  }

  sendText(text: string, options?: { respond?: boolean }): void {
    this.assertOpen('sendText');
    this.emit({ type: 'transcript', role: 'user', text, final: true });
    if (options?.respond !== false) this.onUserText(text);
  }

  sendToolResult(result: { id: string; output: string; isError?: boolean }): void {
    this.assertOpen('sendToolResult');
    const call = this.calls.get(result.id);
    if (!call) {
      throw new S2SError(
        'unknown-tool-call',
        `${this.label}: sendToolResult for unknown tool call "${result.id}" (no tool call with that id was made)`,
      );
    }
    if (call.answered) {
      throw new S2SError('invalid-input', `${this.label}: tool call "${result.id}" already has a result`);
    }
    call.answered = true;
    const waiting = [...this.calls.values()].some((c) => c.responseId === call.responseId && !c.answered);
    if (!waiting) this.onToolResults(call.responseId);
  }

  speechStarted(atMs: number): void {
    this.assertOpen('speechStarted');
    this.useExternalVad();
    this.externalStartMs = atMs;
  }

  speechStopped(atMs: number): void {
    this.assertOpen('speechStopped');
    this.useExternalVad();
    const startMs = this.externalStartMs ?? this.recorder.firstMs ?? atMs;
    this.externalStartMs = undefined;
    this.onUserTurn({ startMs, endMs: atMs });
  }

  interrupt(options?: InterruptOptions): InterruptResult | null {
    const reply = this.active;
    if (!reply || this.closed) return null;
    reply.timer?.unsubscribe();
    const emittedMs = this.samplesToMs(reply.emittedSamples);
    const playedMs = Math.min(Math.max(options?.playedMs ?? emittedMs, 0), emittedMs);
    this.active = undefined;
    this.emit({ type: 'interrupted', responseId: reply.id, playedMs });
    this.emit({ type: 'response-done', responseId: reply.id, status: 'cancelled' });
    this.onInterrupted(reply.id);
    this.pump();
    return { responseId: reply.id, playedMs };
  }

  /** Stubs have no model to instruct: only the tool list matters (for the check on scripted calls). */
  async updateSession(update: { instructions?: string; tools?: readonly ToolSpec[] }): Promise<void> {
    this.assertOpen('updateSession');
    if (update.tools !== undefined) this.tools = update.tools;
  }

  close(reason?: string): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    this.settings.signal?.removeEventListener('abort', this.onAbort);
    for (const timer of this.timers) timer.unsubscribe();
    this.timers.clear();
    this.queue = [];
    const reply = this.active;
    this.active = undefined;
    if (reply) this.subject.next({ type: 'response-done', responseId: reply.id, status: 'cancelled' });
    this.subject.next(reason === undefined ? { type: 'closed' } : { type: 'closed', reason });
    this.subject.complete();
    return Promise.resolve();
  }

  /** A user turn ended (own detector or a local VAD). */
  protected abstract onUserTurn(turn: UserTurn): void;
  /** The user sent a text message that asks for a reply. */
  protected abstract onUserText(text: string): void;
  /** Every tool call of `responseId` has its result. */
  protected onToolResults(_responseId: string): void {}
  /** The reply `responseId` was interrupted. */
  protected onInterrupted(_responseId: string): void {}

  /** The user's audio between two media instants (consumed: later turns start after it). */
  protected userAudio(turn: UserTurn, prerollMs: number): Int16Array {
    return this.recorder.take(turn.startMs - prerollMs, turn.endMs);
  }

  /** Queues a reply; it starts `latencyMs` from now, after the replies queued before it. */
  protected reply(parts: readonly ReplyPart[]): void {
    if (this.closed) return;
    this.queue.push({ parts, readyAt: this.settings.scheduler.now() + this.settings.latencyMs });
    this.pump();
  }

  protected get label(): string {
    return `${this.settings.providerName} session ${this.id}`;
  }

  private useExternalVad(): void {
    if (this.externalVad) return;
    this.externalVad = true;
    this.detector.reset();
  }

  private pump(): void {
    if (this.active || this.closed || this.pumpTimer || this.queue.length === 0) return;
    const wait = this.queue[0].readyAt - this.settings.scheduler.now();
    if (wait > 0) {
      this.pumpTimer = this.after(wait, () => {
        this.pumpTimer = undefined;
        this.pump();
      });
      return;
    }
    const next = this.queue.shift() as QueuedReply;
    const reply: ActiveReply = {
      id: `${this.id}-response-${++this.replies}`,
      parts: next.parts,
      startTimestamp: this.settings.scheduler.now() - this.startedAt,
      part: 0,
      offset: 0,
      emittedSamples: 0,
    };
    this.active = reply;
    this.emit({ type: 'response-start', responseId: reply.id });
    this.advance(reply);
  }

  /** Plays `reply` until it must wait for the clock, ends, or is interrupted. */
  private advance(reply: ActiveReply): void {
    while (this.active === reply) {
      const part = reply.parts[reply.part];
      if (!part) {
        this.finish(reply, 'completed');
        return;
      }
      if (part.kind === 'audio') {
        if (reply.offset >= part.samples.length) {
          reply.part++;
          reply.offset = 0;
          continue;
        }
        const chunk = part.samples.slice(reply.offset, reply.offset + this.chunkSamples);
        reply.offset += chunk.length;
        this.emitAudio(reply, chunk);
        if (this.settings.realtime && this.active === reply) {
          // Due times are absolute so that timer lateness does not add up over a long reply.
          const due = this.startedAt + reply.startTimestamp + this.samplesToMs(reply.emittedSamples);
          reply.timer = this.after(Math.max(0, due - this.settings.scheduler.now()), () => this.advance(reply));
          return;
        }
        continue;
      }
      reply.part++;
      if (part.kind === 'transcript') {
        this.emit({ type: 'transcript', role: 'assistant', text: part.text, final: true, responseId: reply.id });
      } else if (part.kind === 'tool-call') {
        if (this.tools.length > 0 && !this.tools.some((t) => t.name === part.name)) {
          const offered = this.tools.map((t) => t.name).join(', ');
          const message = `${this.label}: calls tool "${part.name}", which the session does not offer (offered: ${offered})`;
          this.emit({ type: 'error', error: new S2SError('invalid-request', message) });
        }
        const id = `${this.id}-call-${++this.callCount}`;
        this.calls.set(id, { responseId: reply.id, answered: false });
        this.emit({ type: 'tool-call', id, name: part.name, arguments: part.arguments, responseId: reply.id });
      } else {
        this.emit({ type: 'error', error: part.error });
        if (part.error.fatal) {
          this.finish(reply, 'failed');
          void this.close(part.error.message);
          return;
        }
      }
    }
  }

  private emitAudio(reply: ActiveReply, samples: Int16Array): void {
    const frame: AudioFrame = {
      kind: 'audio',
      timestamp: reply.startTimestamp + this.samplesToMs(reply.emittedSamples),
      format: this.settings.capabilities.output,
      samples,
      responseId: reply.id,
    };
    reply.emittedSamples += samples.length;
    this.emit({ type: 'audio', responseId: reply.id, frame });
  }

  private finish(reply: ActiveReply, status: ResponseStatus): void {
    if (this.active !== reply) return;
    this.active = undefined;
    this.emit({ type: 'response-done', responseId: reply.id, status });
    this.pump();
  }

  private after(ms: number, fn: () => void): Subscription {
    let fired = false;
    let timer: Subscription | undefined;
    timer = this.settings.scheduler.schedule(() => {
      fired = true;
      if (timer) this.timers.delete(timer);
      fn();
    }, ms);
    const scheduled = timer;
    if (!fired) this.timers.add(scheduled);
    scheduled.add(() => this.timers.delete(scheduled));
    return scheduled;
  }

  private emit(event: S2SEvent): void {
    if (!this.closed) this.subject.next(event);
  }

  private assertOpen(method: string): void {
    if (this.closed) throw new S2SError('closed', `${this.label} is closed: ${method}() after close()`);
  }

  private samplesToMs(samples: number): number {
    return (samples / this.settings.capabilities.output.sampleRate) * 1000;
  }
}
