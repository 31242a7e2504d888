import { decodeBase64Audio } from '../base64.js';

/** The GA shape of an audio delta, as the zod schema of `server-events.ts` would return it. */
export interface AudioDeltaEvent {
  readonly type: 'response.output_audio.delta';
  readonly event_id?: string;
  readonly response_id: string;
  readonly item_id: string;
  readonly output_index: number;
  readonly content_index: number;
  readonly delta: string;
}

const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isIndex = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

/**
 * The hot path of a reply: audio deltas arrive every few ms per session, so their shape is checked
 * field by field (and the base64 natively) instead of through zod. Returns undefined when anything
 * is off, and the caller then runs the full schema, which names the problem.
 */
export function fastAudioDelta(raw: Record<string, unknown>): AudioDeltaEvent | undefined {
  const ok =
    isId(raw.response_id) &&
    isId(raw.item_id) &&
    isIndex(raw.output_index) &&
    isIndex(raw.content_index) &&
    (raw.event_id === undefined || typeof raw.event_id === 'string') &&
    decodeBase64Audio(raw.delta) !== undefined;
  return ok ? ({ ...raw, type: 'response.output_audio.delta' } as unknown as AudioDeltaEvent) : undefined;
}
