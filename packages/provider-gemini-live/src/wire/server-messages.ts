/** The server messages (BidiGenerateContentServerMessage) this provider reads; others are ignored. */
export interface ServerMessage {
  readonly setupComplete?: Record<string, unknown>;
  readonly serverContent?: {
    readonly modelTurn?: { readonly parts?: readonly ServerPart[] };
    readonly turnComplete?: boolean;
    readonly generationComplete?: boolean;
    readonly interrupted?: boolean;
    readonly inputTranscription?: { readonly text?: string; readonly finished?: boolean };
    readonly outputTranscription?: { readonly text?: string; readonly finished?: boolean };
  };
  readonly toolCall?: { readonly functionCalls?: readonly FunctionCall[] };
  readonly toolCallCancellation?: { readonly ids?: readonly string[] };
  readonly goAway?: { readonly timeLeft?: string };
  readonly sessionResumptionUpdate?: { readonly newHandle?: string; readonly resumable?: boolean };
  readonly usageMetadata?: {
    readonly promptTokenCount?: number;
    readonly responseTokenCount?: number;
    readonly totalTokenCount?: number;
  };
}

export interface ServerPart {
  readonly text?: string;
  readonly inlineData?: { readonly mimeType?: string; readonly data?: string };
}

export interface FunctionCall {
  readonly id?: string;
  readonly name?: string;
  readonly args?: Record<string, unknown>;
}

export type Parsed =
  | { readonly ok: true; readonly message: ServerMessage }
  | { readonly ok: false; readonly problem: string };

/** The service sends JSON in text or binary frames; anything but a JSON object is reported, not thrown. */
export function parseServerMessage(text: string): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: `not JSON: ${text.slice(0, 60)}` };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, problem: 'not a JSON object' };
  return { ok: true, message: value as ServerMessage };
}

/** `"10s"` / `"1.5s"` (a protobuf Duration in JSON) in ms; undefined when unreadable. */
export function durationMs(text: string | undefined): number | undefined {
  const match = /^(\d+(?:\.\d+)?)s$/.exec(text ?? '');
  return match ? Number(match[1]) * 1000 : undefined;
}

/** The sample rate of an `audio/pcm;rate=N` MIME type (24000 when not stated, as the model speaks). */
export function pcmRate(mimeType: string | undefined): number | undefined {
  if (!mimeType?.startsWith('audio/pcm')) return undefined;
  const match = /rate=(\d+)/.exec(mimeType);
  return match ? Number(match[1]) : 24_000;
}
