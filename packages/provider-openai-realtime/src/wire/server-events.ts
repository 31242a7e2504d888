import { z } from 'zod';
import { fastResponseDelta, isResponseDeltaType } from './response-delta.js';

/**
 * Zod schemas for every server event of the Realtime API. Beta names are mapped to their GA
 * equivalents first (`response.audio.delta` → `response.output_audio.delta`), so the session
 * handles one vocabulary. Objects are loose: the service adds fields over time.
 */

const BETA_TO_GA: Readonly<Record<string, string>> = {
  'conversation.item.created': 'conversation.item.added',
  'response.audio.delta': 'response.output_audio.delta',
  'response.audio.done': 'response.output_audio.done',
  'response.audio_transcript.delta': 'response.output_audio_transcript.delta',
  'response.audio_transcript.done': 'response.output_audio_transcript.done',
  'response.text.delta': 'response.output_text.delta',
  'response.text.done': 'response.output_text.done',
  'transcription_session.updated': 'session.updated',
};

const id = z.string().min(1);
const nullableId = id.nullable().optional();

const contentPart = z.looseObject({
  type: z.string(),
  text: z.string().nullable().optional(),
  transcript: z.string().nullable().optional(),
  audio: z.string().nullable().optional(),
});

export const itemSchema = z.looseObject({
  id,
  type: z.string(),
  object: z.string().optional(),
  status: z.string().optional(),
  role: z.enum(['user', 'assistant', 'system']).optional(),
  content: z.array(contentPart).optional(),
  call_id: z.string().optional(),
  name: z.string().optional(),
  arguments: z.string().optional(),
  output: z.string().optional(),
});

const usage = z.looseObject({
  total_tokens: z.number().int().min(0).optional(),
  input_tokens: z.number().int().min(0).optional(),
  output_tokens: z.number().int().min(0).optional(),
});

const responseSchema = z.looseObject({
  id,
  object: z.string().optional(),
  status: z.enum(['in_progress', 'completed', 'cancelled', 'failed', 'incomplete']),
  status_details: z
    .looseObject({
      type: z.string().optional(),
      reason: z.string().nullable().optional(),
      error: z
        .looseObject({
          type: z.string().optional(),
          code: z.string().nullable().optional(),
          message: z.string().optional(),
        })
        .nullable()
        .optional(),
    })
    .nullable()
    .optional(),
  output: z.array(itemSchema).optional(),
  usage: usage.nullable().optional(),
});

const sessionObject = z.looseObject({
  id: z.string().optional(),
  expires_at: z.number().optional(),
  model: z.string().optional(),
});

const responsePart = {
  response_id: id,
  item_id: id,
  output_index: z.number().int().min(0),
  content_index: z.number().int().min(0),
};
const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.looseObject({ type: z.literal(type), event_id: z.string().optional(), ...shape });

export const serverEventSchema = z.discriminatedUnion('type', [
  event('error', {
    error: z.looseObject({
      type: z.string(),
      code: z.string().nullable().optional(),
      message: z.string(),
      param: z.string().nullable().optional(),
      event_id: z.string().nullable().optional(),
    }),
  }),
  event('session.created', { session: sessionObject }),
  event('session.updated', { session: sessionObject }),
  event('conversation.created', { conversation: z.looseObject({ id: z.string().optional() }) }),
  event('conversation.item.added', { previous_item_id: nullableId, item: itemSchema }),
  event('conversation.item.done', { previous_item_id: nullableId, item: itemSchema }),
  event('conversation.item.retrieved', { item: itemSchema }),
  event('conversation.item.deleted', { item_id: id }),
  event('conversation.item.truncated', {
    item_id: id,
    content_index: z.number().int().min(0),
    audio_end_ms: z.number().int().min(0),
  }),
  event('conversation.item.input_audio_transcription.delta', {
    item_id: id,
    content_index: z.number().int().optional(),
    delta: z.string().optional(),
  }),
  event('conversation.item.input_audio_transcription.completed', {
    item_id: id,
    content_index: z.number().int().optional(),
    transcript: z.string(),
  }),
  event('conversation.item.input_audio_transcription.failed', {
    item_id: id,
    content_index: z.number().int().optional(),
    error: z.looseObject({
      type: z.string().optional(),
      code: z.string().nullable().optional(),
      message: z.string().optional(),
    }),
  }),
  event('conversation.item.input_audio_transcription.segment', { item_id: id, text: z.string() }),
  event('input_audio_buffer.committed', { item_id: id, previous_item_id: nullableId }),
  event('input_audio_buffer.cleared', {}),
  event('input_audio_buffer.speech_started', { audio_start_ms: z.number().min(0), item_id: id }),
  event('input_audio_buffer.speech_stopped', { audio_end_ms: z.number().min(0), item_id: id }),
  event('input_audio_buffer.timeout_triggered', {
    audio_start_ms: z.number().min(0),
    audio_end_ms: z.number().min(0),
    item_id: id,
  }),
  event('input_audio_buffer.dtmf_event_received', { event: z.string() }),
  event('response.created', { response: responseSchema }),
  event('response.done', { response: responseSchema }),
  event('response.output_item.added', { response_id: id, output_index: z.number().int().min(0), item: itemSchema }),
  event('response.output_item.done', { response_id: id, output_index: z.number().int().min(0), item: itemSchema }),
  event('response.content_part.added', { ...responsePart, part: contentPart }),
  event('response.content_part.done', { ...responsePart, part: contentPart }),
  event('response.output_audio.delta', { ...responsePart, delta: z.base64() }),
  event('response.output_audio.done', responsePart),
  event('response.output_audio_transcript.delta', { ...responsePart, delta: z.string() }),
  event('response.output_audio_transcript.done', { ...responsePart, transcript: z.string() }),
  event('response.output_text.delta', { ...responsePart, delta: z.string() }),
  event('response.output_text.done', { ...responsePart, text: z.string() }),
  event('response.function_call_arguments.delta', {
    response_id: id,
    item_id: id,
    output_index: z.number().int().min(0),
    call_id: id,
    delta: z.string(),
  }),
  event('response.function_call_arguments.done', {
    response_id: id,
    item_id: id,
    output_index: z.number().int().min(0),
    call_id: id,
    name: z.string().optional(),
    arguments: z.string(),
  }),
  event('rate_limits.updated', {
    rate_limits: z.array(
      z.looseObject({
        name: z.string(),
        limit: z.number().optional(),
        remaining: z.number().optional(),
        reset_seconds: z.number().optional(),
      }),
    ),
  }),
  event('output_audio_buffer.started', { response_id: id }),
  event('output_audio_buffer.stopped', { response_id: id }),
  event('output_audio_buffer.cleared', { response_id: id }),
  event('mcp_list_tools.in_progress', { item_id: id }),
  event('mcp_list_tools.completed', { item_id: id }),
  event('mcp_list_tools.failed', { item_id: id }),
  event('response.mcp_call_arguments.delta', { response_id: id, item_id: id, delta: z.string() }),
  event('response.mcp_call_arguments.done', { response_id: id, item_id: id, arguments: z.string() }),
  event('response.mcp_call.in_progress', { item_id: id }),
  event('response.mcp_call.completed', { item_id: id }),
  event('response.mcp_call.failed', { item_id: id }),
]);

export type ServerEvent = z.infer<typeof serverEventSchema>;
export type ServerEventType = ServerEvent['type'];
export type ServerItem = z.infer<typeof itemSchema>;
export type ServerResponse = z.infer<typeof responseSchema>;

const KNOWN = new Set<string>(serverEventSchema.options.map((o) => o.shape.type.value));

export type ParsedServerEvent =
  | { readonly kind: 'event'; readonly event: ServerEvent }
  | { readonly kind: 'unknown'; readonly type: string }
  | { readonly kind: 'invalid'; readonly type?: string; readonly problem: string };

/** Parses one text frame from the socket; never throws. */
export function parseServerEvent(text: string): ParsedServerEvent {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { kind: 'invalid', problem: `not JSON (${text.length} chars)` };
  }
  if (!raw || typeof raw !== 'object' || typeof (raw as { type?: unknown }).type !== 'string') {
    return { kind: 'invalid', problem: 'no "type" field' };
  }
  const given = (raw as { type: string }).type;
  const type = BETA_TO_GA[given] ?? given;
  if (!KNOWN.has(type)) return { kind: 'unknown', type: given };
  if (isResponseDeltaType(type)) {
    const delta = fastResponseDelta(type, raw as Record<string, unknown>);
    if (delta) return { kind: 'event', event: delta as ServerEvent };
  }
  const result = serverEventSchema.safeParse({ ...(raw as object), type });
  if (!result.success) {
    const issue = result.error.issues[0];
    return { kind: 'invalid', type: given, problem: `${issue.path.join('.') || '(root)'}: ${issue.message}` };
  }
  return { kind: 'event', event: result.data };
}

/** The response an event belongs to, if any (`response_id`, or the `response` it carries). */
export function responseIdOf(event: ServerEvent): string | undefined {
  if ('response_id' in event && typeof event.response_id === 'string') return event.response_id;
  if (event.type === 'response.created' || event.type === 'response.done') return event.response.id;
  return undefined;
}
