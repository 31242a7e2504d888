import {
  type AudioFrame,
  type ConversationContext,
  type InterruptResult,
  iterateObservable,
  type S2SCapabilities,
  S2SError,
  type S2SEvent,
  type S2SProvider,
  type S2SSession,
  type ToolSpec,
} from '@beluga-voice/core';
import { Subject } from 'rxjs';

export const FAKE_FORMAT = { encoding: 'pcm16', sampleRate: 24_000, channels: 1 } as const;

export const FAKE_CAPS: S2SCapabilities = {
  input: { encoding: ['pcm16'], sampleRate: [24_000], channels: [1] },
  output: FAKE_FORMAT,
  tools: true,
  serverVad: true,
  transcripts: true,
  interruption: true,
};

/** A session driven by the test: it records every call in `log` and emits what the test pushes. */
export class FakeSession implements S2SSession {
  readonly id = 'fake-1';
  readonly subject = new Subject<S2SEvent>();
  readonly events$ = this.subject.asObservable();
  closed = false;

  constructor(readonly log: string[]) {}

  [Symbol.asyncIterator]() {
    return iterateObservable(this.events$);
  }

  emit(event: S2SEvent): void {
    this.subject.next(event);
  }

  /** `ms` of audio for `responseId`, as one frame. */
  audio(responseId: string, ms: number, timestamp = 0): void {
    const samples = new Int16Array((FAKE_FORMAT.sampleRate * ms) / 1000).fill(1000);
    const frame: AudioFrame = { kind: 'audio', timestamp, format: FAKE_FORMAT, samples, responseId };
    this.emit({ type: 'audio', responseId, frame });
  }

  sendAudio(frame: AudioFrame): void {
    this.log.push(`sendAudio ${frame.timestamp}`);
  }
  sendText(text: string): void {
    this.log.push(`sendText ${text}`);
  }
  sendToolResult(result: { id: string; output: string; isError?: boolean }): void {
    if (result.id === 'unknown') throw new S2SError('unknown-tool-call', `no tool call "${result.id}"`);
    this.log.push(`sendToolResult ${result.id} ${result.output}${result.isError ? ' (error)' : ''}`);
  }
  speechStarted(atMs: number): void {
    this.log.push(`speechStarted ${atMs}`);
  }
  speechStopped(atMs: number): void {
    this.log.push(`speechStopped ${atMs}`);
  }
  interrupt(options?: { playedMs?: number }): InterruptResult | null {
    this.log.push(`session.interrupt ${options?.playedMs}`);
    return { responseId: 'r1', playedMs: options?.playedMs ?? 0 };
  }
  async updateSession(): Promise<void> {}
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.log.push('close');
    this.subject.next({ type: 'closed' });
    this.subject.complete();
  }
}

/** A provider whose single session is `session`; records the context it was started with. */
export class FakeProvider implements S2SProvider {
  readonly name = 'fake';
  readonly capabilities = FAKE_CAPS;
  context: ConversationContext | undefined;

  constructor(readonly session: FakeSession) {}

  async startSession(context: ConversationContext): Promise<S2SSession> {
    this.context = context;
    this.session.log.push(`start tools=${(context.tools ?? []).map((t: ToolSpec) => t.name).join(',')}`);
    return this.session;
  }
}
