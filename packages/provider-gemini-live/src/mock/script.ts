import { readFileSync } from 'node:fs';
import { generateTone } from '@beluga-voice/core';
import { decodeWav } from '@beluga-voice/core/audio';

/** Reply audio: a 24 kHz mono WAV file or a tone. */
export type GeminiMockAudio =
  | { readonly wav: string }
  | { readonly tone: { readonly frequencyHz: number; readonly durationMs: number } };

/** One model turn of the script. */
export interface GeminiMockReply {
  /** Spoken text: the output transcription (and the audio length when no audio is given). */
  readonly text?: string;
  readonly audio?: GeminiMockAudio;
  /** Call a function instead of speaking; `args` omitted → generated from its declared schema. */
  readonly functionCall?: { readonly name: string; readonly args?: Record<string, unknown> };
}

export interface GeminiReplyContext {
  /** 0 for the first model turn on the connection. */
  readonly turnIndex: number;
  /** What the turn answers: user speech or text, or the results of function calls. */
  readonly after: 'user' | 'tool-response';
  /** The conversation as the model sees it, as text lines (`user: …`, `model: …`). */
  readonly context: readonly string[];
  /** Functions declared in the setup. */
  readonly tools: readonly string[];
}

export interface GeminiMockScript {
  /** Replies in order, one per model turn, or a function of the turn; then the default. */
  readonly replies?: readonly GeminiMockReply[] | ((ctx: GeminiReplyContext) => GeminiMockReply);
  /** Input transcription of a user audio turn. */
  readonly userTranscript?: string;
  /** Audio per `serverContent` message (default 40 ms). */
  readonly chunkMs?: number;
  /** Delay between two audio messages; 0 sends them at once. */
  readonly chunkIntervalMs?: number;
  /** Delay before the first audio of a turn. */
  readonly firstAudioLatencyMs?: number;
}

/**
 * The default turn: with functions declared, a user turn is answered by calling the first one
 * (arguments from its schema); otherwise the model says how much context it has, so that tests
 * can see replayed history arrive.
 */
export function defaultReply(ctx: GeminiReplyContext): GeminiMockReply {
  if (ctx.after === 'user' && ctx.tools.length > 0) return { functionCall: { name: ctx.tools[0] } };
  return { text: `I heard you. I have ${ctx.context.length} earlier messages in context.` };
}

export function replyFor(script: GeminiMockScript, ctx: GeminiReplyContext): GeminiMockReply {
  const replies = script.replies;
  if (typeof replies === 'function') return replies(ctx);
  return replies?.[ctx.turnIndex] ?? defaultReply(ctx);
}

/** Synthesized speech stands in for a voice: this many ms of tone per character of text. */
const MS_PER_CHAR = 40;

/** The reply's audio as 24 kHz mono 16-bit samples. */
export function replyAudio(reply: GeminiMockReply): Int16Array {
  const audio = reply.audio;
  if (audio && 'wav' in audio) {
    const wav = decodeWav(readFileSync(audio.wav), audio.wav, 'pcm16');
    if (wav.format.sampleRate !== 24_000 || wav.format.channels !== 1)
      throw new Error(`mock script: ${audio.wav} must be 24 kHz mono (the model's output format)`);
    return wav.samples;
  }
  if (audio) return generateTone(24_000, audio.tone.frequencyHz, audio.tone.durationMs);
  return generateTone(24_000, 220, Math.max(200, (reply.text ?? '').length * MS_PER_CHAR));
}
