import { decodeBase64Audio } from '../base64.js';

/** The delta events of a reply that arrive many times per turn, in their GA names. */
export type ResponseDeltaType =
  | 'response.output_audio.delta'
  | 'response.output_audio_transcript.delta'
  | 'response.output_text.delta';

/** The GA shape of a reply's delta, as the zod schema of `server-events.ts` would return it. */
export interface ResponseDeltaEvent<T extends ResponseDeltaType = ResponseDeltaType> {
  readonly type: T;
  readonly event_id?: string;
  readonly response_id: string;
  readonly item_id: string;
  readonly output_index: number;
  readonly content_index: number;
  readonly delta: string;
}

const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isIndex = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const DELTA_TYPES = new Set<string>([
  'response.output_audio.delta',
  'response.output_audio_transcript.delta',
  'response.output_text.delta',
]);

export function isResponseDeltaType(type: string): type is ResponseDeltaType {
  return DELTA_TYPES.has(type);
}

/**
 * The hot path of a reply: audio and transcript deltas arrive every few ms per session, so their
 * shape is checked field by field (audio's base64 natively) instead of through zod. Returns
 * undefined when anything is off, and the caller then runs the full schema, which names the problem.
 */
export function fastResponseDelta<T extends ResponseDeltaType>(
  type: T,
  raw: Record<string, unknown>,
): ResponseDeltaEvent<T> | undefined {
  const ok =
    isId(raw.response_id) &&
    isId(raw.item_id) &&
    isIndex(raw.output_index) &&
    isIndex(raw.content_index) &&
    (raw.event_id === undefined || typeof raw.event_id === 'string') &&
    (type === 'response.output_audio.delta'
      ? decodeBase64Audio(raw.delta) !== undefined
      : typeof raw.delta === 'string');
  return ok ? ({ ...raw, type } as unknown as ResponseDeltaEvent<T>) : undefined;
}
