import type { Context, Meter, Tracer } from '@opentelemetry/api';
import type { Observable } from 'rxjs';
import type { AudioFormat } from '../audio-format.js';
import type { Logger } from '../bus.js';
import type { AudioCaps } from '../caps.js';
import type { AudioFrame, ResponseStatus, TokenUsage } from '../frames.js';

/** A function the model may call; `parameters` is a JSON Schema object. */
export interface ToolSpec {
  readonly name: string;
  readonly description: string;
  readonly parameters: Readonly<Record<string, unknown>>;
}

/** Earlier conversation, replayed into a new session as text. */
export type HistoryItem =
  | { readonly type: 'message'; readonly role: 'user' | 'assistant' | 'system'; readonly text: string }
  | { readonly type: 'tool-call'; readonly id: string; readonly name: string; readonly arguments: string }
  | { readonly type: 'tool-result'; readonly id: string; readonly output: string };

/** What a session starts from (the reference design's `ConversationContext`, extended). */
export interface ConversationContext {
  readonly systemPrompt?: string;
  readonly tools?: readonly ToolSpec[];
  readonly voice?: string;
  readonly temperature?: number;
  readonly history?: readonly HistoryItem[];
}

export interface S2SCapabilities {
  /** Formats `sendAudio` accepts. */
  readonly input: AudioCaps;
  /** The format of every audio event. */
  readonly output: AudioFormat;
  readonly tools: boolean;
  /** The provider detects turns itself (no local VAD needed). */
  readonly serverVad: boolean;
  readonly transcripts: boolean;
  readonly interruption: boolean;
}

export type S2SErrorCode =
  | 'invalid-input'
  | 'unknown-tool-call'
  | 'closed'
  | 'auth'
  | 'rate-limit'
  | 'session-expired'
  | 'invalid-request'
  | 'server'
  | 'timeout'
  | 'connection'
  | 'scripted';

/** Every error a provider reports; `fatal` ones end the session. */
export class S2SError extends Error {
  override readonly name = 'S2SError';
  readonly code: S2SErrorCode;
  readonly fatal: boolean;
  constructor(code: S2SErrorCode, message: string, options?: { fatal?: boolean; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.fatal = options?.fatal ?? false;
  }
}

export type S2SEvent =
  | { readonly type: 'session-started'; readonly sessionId: string }
  | { readonly type: 'audio'; readonly responseId: string; readonly itemId?: string; readonly frame: AudioFrame }
  | {
      readonly type: 'transcript';
      readonly role: 'user' | 'assistant';
      readonly text: string;
      readonly final: boolean;
      readonly itemId?: string;
      readonly responseId?: string;
    }
  | {
      readonly type: 'tool-call';
      readonly id: string;
      readonly name: string;
      readonly arguments: string;
      readonly responseId?: string;
    }
  /** The provider withdrew tool calls it asked for; their results are no longer wanted. */
  | { readonly type: 'tool-calls-cancelled'; readonly ids: readonly string[] }
  | { readonly type: 'speech-start'; readonly timestamp: number }
  | { readonly type: 'speech-stop'; readonly timestamp: number }
  | { readonly type: 'response-start'; readonly responseId: string }
  | {
      readonly type: 'response-done';
      readonly responseId: string;
      readonly status: ResponseStatus;
      readonly usage?: TokenUsage;
    }
  | { readonly type: 'interrupted'; readonly responseId: string; readonly playedMs: number }
  | { readonly type: 'reconnected'; readonly gapMs: number; readonly attempt: number }
  /** Something the user should know that does not stop the session (an ordering error, audio lost). */
  | { readonly type: 'warning'; readonly code: string; readonly message: string }
  | { readonly type: 'error'; readonly error: S2SError }
  | { readonly type: 'closed'; readonly reason?: string };

export type S2SEventType = S2SEvent['type'];

export interface InterruptOptions {
  /** Milliseconds of the current response's audio that the user actually heard. */
  readonly playedMs?: number;
}

export interface InterruptResult {
  readonly responseId: string;
  /** What the provider truncated the response to (clamped to the audio it produced). */
  readonly playedMs: number;
}

export interface S2SSession extends AsyncIterable<S2SEvent> {
  readonly id: string;
  readonly events$: Observable<S2SEvent>;
  /** Throws `S2SError('invalid-input')` for a format outside `capabilities.input`, `('closed')` after close. */
  sendAudio(frame: AudioFrame): void;
  /** Adds a user text message; `respond` (default true) asks for a reply. */
  sendText(text: string, options?: { respond?: boolean }): void;
  /** Throws `S2SError('unknown-tool-call')` for an id the session never asked for. */
  sendToolResult(result: { id: string; output: string; isError?: boolean }): void;
  /** A local VAD heard the user start speaking (barge-in when a response plays). */
  speechStarted(atMs: number): void;
  /** A local VAD heard the user stop: the turn is complete, respond. */
  speechStopped(atMs: number): void;
  /** Stops the current response now; `null` when nothing was playing. */
  interrupt(options?: InterruptOptions): InterruptResult | null;
  updateSession(update: { instructions?: string; tools?: readonly ToolSpec[] }): Promise<void>;
  /** Releases every resource; idempotent. */
  close(): Promise<void>;
}

export interface StartSessionOptions {
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
  readonly tracer?: Tracer;
  readonly meter?: Meter;
  /** Parent of the provider's own spans: the provider node passes its `provider.session` span. */
  readonly traceContext?: Context;
}

export interface S2SProvider {
  readonly name: string;
  readonly capabilities: S2SCapabilities;
  startSession(context: ConversationContext, options?: StartSessionOptions): Promise<S2SSession>;
  /**
   * Whether an error of this provider's sessions should make `provider.failover` move to the next
   * provider. Without it: fatal errors, auth, rate limits and server errors do.
   */
  shouldFailover?(error: S2SError): boolean;
}
