import { readWavAsPcm16, tone } from './audio.js';

/** Reply audio: a WAV file (resampled to the session's output rate) or a tone. */
export type MockAudio =
  | { readonly wav: string }
  | { readonly tone: { readonly frequencyHz: number; readonly durationMs: number } };

/** One response of the script. */
export interface MockReply {
  /** Spoken text: the assistant transcript (also the audio length when no audio is given). */
  readonly text?: string;
  readonly audio?: MockAudio;
  /** Call a function instead of speaking; `arguments` omitted → generated from the tool's JSON Schema. */
  readonly functionCall?: { readonly name: string; readonly arguments?: unknown };
}

export interface ReplyContext {
  /** 0 for the first response on the connection. */
  readonly responseIndex: number;
  /** The item the response follows (e.g. a `function_call_output`). */
  readonly lastItem?: { readonly type: string; readonly role?: string; readonly text?: string };
}

export interface MockScript {
  /** Replies in order, one per response; when they run out the default reply is used. */
  readonly replies?: readonly MockReply[] | ((ctx: ReplyContext) => MockReply);
  /** Transcript of a committed user audio turn (when input transcription is on). */
  readonly userTranscript?: string | ((ctx: { readonly itemId: string; readonly audioMs: number }) => string);
  /** Delay before the first audio (and first transcript) delta of a response. */
  readonly firstAudioLatencyMs?: number;
  /** Audio per `output_audio.delta` event. */
  readonly chunkMs?: number;
  /** Delay between two audio deltas; 0 sends them as fast as possible. */
  readonly chunkIntervalMs?: number;
}

export const DEFAULT_REPLY_TEXT = 'Sure, I can help with that.';
/** Synthesized speech stands in for a voice: this many ms of tone per character of text. */
const MS_PER_CHAR = 40;

export function replyFor(script: MockScript, ctx: ReplyContext): MockReply {
  const replies = script.replies;
  if (typeof replies === 'function') return replies(ctx);
  return replies?.[ctx.responseIndex] ?? { text: DEFAULT_REPLY_TEXT };
}

/** The reply's audio as 16-bit samples at `sampleRate`. */
export function replyAudio(reply: MockReply, sampleRate: number): Int16Array {
  const audio = reply.audio;
  if (audio && 'wav' in audio) return readWavAsPcm16(audio.wav, sampleRate);
  if (audio) return cachedTone(audio.tone.frequencyHz, audio.tone.durationMs, sampleRate);
  const text = reply.text ?? DEFAULT_REPLY_TEXT;
  return cachedTone(220, Math.max(200, text.length * MS_PER_CHAR), sampleRate);
}

/** Tones made so far: every turn of every session asks for the same few (read-only once made). */
const tones = new Map<string, Int16Array>();
const KEPT_TONES = 64;

function cachedTone(frequencyHz: number, durationMs: number, sampleRate: number): Int16Array {
  const key = `${frequencyHz}/${durationMs}/${sampleRate}`;
  let samples = tones.get(key);
  if (!samples) {
    samples = tone(frequencyHz, durationMs, sampleRate);
    tones.set(key, samples);
    if (tones.size > KEPT_TONES) tones.delete(tones.keys().next().value as string);
  }
  return samples;
}

export function userTranscriptFor(script: MockScript, itemId: string, audioMs: number): string {
  const t = script.userTranscript;
  if (typeof t === 'function') return t({ itemId, audioMs });
  return t ?? `(user speech, ${Math.round(audioMs)} ms)`;
}
