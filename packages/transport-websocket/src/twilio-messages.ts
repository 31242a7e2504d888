import { z } from 'zod';

/**
 * Twilio Media Streams, bidirectional (`<Connect><Stream>`): the messages Twilio sends. Fields
 * Twilio may add later pass through; the ones we rely on are checked.
 */
const start = z.object({
  event: z.literal('start'),
  streamSid: z.string().min(1),
  start: z.object({
    streamSid: z.string().min(1).optional(),
    callSid: z.string().default(''),
    accountSid: z.string().default(''),
    customParameters: z.record(z.string(), z.string()).default({}),
    mediaFormat: z.object({ encoding: z.string(), sampleRate: z.number(), channels: z.number() }),
  }),
});
const mark = z.object({ event: z.literal('mark'), mark: z.object({ name: z.string() }) });
const dtmf = z.object({ event: z.literal('dtmf'), dtmf: z.object({ digit: z.string() }) });
const connected = z.object({ event: z.literal('connected') });
const stop = z.object({ event: z.literal('stop') });

export type TwilioStart = z.output<typeof start>;

/** `media` is checked by hand: it arrives 50 times a second per call. */
export type TwilioInbound =
  | { readonly event: 'media'; readonly payload: string; readonly track: string | undefined }
  | TwilioStart
  | z.output<typeof mark>
  | z.output<typeof dtmf>
  | z.output<typeof connected>
  | z.output<typeof stop>;

const SCHEMAS = { start, mark, dtmf, connected, stop } as const;
const EVENTS = ['connected', 'start', 'media', 'mark', 'dtmf', 'stop'];

/** Reads one text message from Twilio; the error says what is wrong, for the close reason. */
export function parseTwilioMessage(text: string): TwilioInbound | { readonly error: string } {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return { error: `malformed message: not JSON (${text.length} chars)` };
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message))
    return { error: 'malformed message: not a JSON object' };
  const event = (message as { event?: unknown }).event;
  if (event === 'media') {
    const media = (message as { media?: { payload?: unknown; track?: unknown } }).media;
    if (typeof media?.payload !== 'string') return { error: 'malformed media event: media.payload is not a string' };
    return { event, payload: media.payload, track: typeof media.track === 'string' ? media.track : undefined };
  }
  if (typeof event !== 'string' || !(event in SCHEMAS))
    return { error: `unknown event ${JSON.stringify(event)} (expected one of ${EVENTS.join(', ')})` };
  const parsed = SCHEMAS[event as keyof typeof SCHEMAS].safeParse(message);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { error: `malformed ${event} event: ${issue?.path.join('.') || 'message'}: ${issue?.message}` };
  }
  return parsed.data as TwilioInbound;
}

/** Decodes a base64 payload strictly: Node's decoder skips bad characters silently. */
export function decodeBase64(payload: string): Uint8Array | undefined {
  if (payload.length % 4 !== 0) return undefined;
  const padding = payload.endsWith('==') ? 2 : payload.endsWith('=') ? 1 : 0;
  const bytes = Buffer.from(payload, 'base64');
  return bytes.length === (payload.length / 4) * 3 - padding ? bytes : undefined;
}
