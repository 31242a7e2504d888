import type { SpanContext } from '@opentelemetry/api';
import type { AudioFormat, Samples } from './audio-format.js';

/**
 * Frames travel on the data channel. Every frame has a `timestamp` in milliseconds of media
 * time (for audio: the start of its first sample on the stream's timeline).
 */
export interface AudioFrame {
  readonly kind: 'audio';
  readonly timestamp: number;
  readonly format: AudioFormat;
  /** Interleaved samples; the array type matches `format.encoding`. */
  readonly samples: Samples;
  /** Set on the first frame after a gap or a flush: downstream must not assume continuity. */
  readonly discont?: boolean;
  /** The provider response this audio belongs to (assistant audio only). */
  readonly responseId?: string;
}

/**
 * Compressed audio (one codec packet, e.g. Opus) for transports and containers. Nodes that work on
 * samples do not take it: a decoder turns it back into `audio`.
 */
export interface EncodedAudioFrame {
  readonly kind: 'encoded-audio';
  readonly timestamp: number;
  readonly codec: 'opus';
  /** Rate and channel count the packet decodes to. */
  readonly sampleRate: number;
  readonly channels: number;
  readonly durationMs: number;
  readonly data: Uint8Array;
  readonly discont?: boolean;
  readonly responseId?: string;
}

export interface TextFrame {
  readonly kind: 'text';
  readonly timestamp: number;
  readonly text: string;
  readonly role?: 'user' | 'assistant' | 'system';
}

export interface TranscriptFrame {
  readonly kind: 'transcript';
  readonly timestamp: number;
  readonly role: 'user' | 'assistant';
  readonly text: string;
  /** `false` for a delta, `true` for the whole final text. */
  readonly final: boolean;
  readonly itemId?: string;
  readonly responseId?: string;
}

export interface ToolCallFrame {
  readonly kind: 'tool-call';
  readonly timestamp: number;
  /** Call id, echoed by the result. */
  readonly id: string;
  readonly name: string;
  /** Raw JSON text from the model: untrusted. */
  readonly arguments: string;
  readonly responseId?: string;
  /** The span of the response that made the call, when traced: the tool's span joins its trace. */
  readonly spanContext?: SpanContext;
}

export interface ToolResultFrame {
  readonly kind: 'tool-result';
  readonly timestamp: number;
  readonly id: string;
  readonly name?: string;
  /** What the model reads: the tool's output, or an error text it can act on. */
  readonly output: string;
  readonly isError?: boolean;
  readonly cancelled?: boolean;
}

export interface SpeechStartFrame {
  readonly kind: 'speech-start';
  readonly timestamp: number;
  /** Who detected it: a node id or `server` for a provider's own VAD. */
  readonly source: string;
}

export interface SpeechStopFrame {
  readonly kind: 'speech-stop';
  readonly timestamp: number;
  readonly source: string;
}

export interface ResponseStartFrame {
  readonly kind: 'response-start';
  readonly timestamp: number;
  readonly responseId: string;
}

export type ResponseStatus = 'completed' | 'cancelled' | 'failed' | 'incomplete';

export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly totalTokens: number;
}

export interface ResponseDoneFrame {
  readonly kind: 'response-done';
  readonly timestamp: number;
  readonly responseId: string;
  readonly status: ResponseStatus;
  readonly usage?: TokenUsage;
}

export interface EndFrame {
  readonly kind: 'end';
  readonly timestamp: number;
  readonly reason?: string;
}

export type Frame =
  | AudioFrame
  | EncodedAudioFrame
  | TextFrame
  | TranscriptFrame
  | ToolCallFrame
  | ToolResultFrame
  | SpeechStartFrame
  | SpeechStopFrame
  | ResponseStartFrame
  | ResponseDoneFrame
  | EndFrame;

export type FrameKind = Frame['kind'];
export type FrameOf<K extends FrameKind> = Extract<Frame, { kind: K }>;

export const FRAME_KINDS: readonly FrameKind[] = [
  'audio',
  'encoded-audio',
  'text',
  'transcript',
  'tool-call',
  'tool-result',
  'speech-start',
  'speech-stop',
  'response-start',
  'response-done',
  'end',
];

export function isFrameKind<K extends FrameKind>(frame: Frame, kind: K): frame is FrameOf<K> {
  return frame.kind === kind;
}

export function audioDurationMs(frame: AudioFrame): number {
  return (frame.samples.length / frame.format.channels / frame.format.sampleRate) * 1000;
}
