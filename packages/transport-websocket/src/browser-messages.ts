import { z } from 'zod';

/** JSON control messages a browser client sends (audio travels as binary pcm16 frames). */
const played = z.object({
  type: z.literal('played'),
  responseId: z.string().min(1),
  playedMs: z.number().min(0).finite(),
});
const stop = z.object({ type: z.literal('stop') });

export type BrowserInbound = z.output<typeof played> | z.output<typeof stop>;

const SCHEMAS = { played, stop } as const;

export function parseBrowserMessage(text: string): BrowserInbound | { readonly error: string } {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return { error: `malformed message: not JSON (${text.length} chars)` };
  }
  const type = (message as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !(type in SCHEMAS))
    return { error: `unknown message type ${JSON.stringify(type)} (expected played or stop)` };
  const parsed = SCHEMAS[type as keyof typeof SCHEMAS].safeParse(message);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { error: `malformed ${type} message: ${issue?.path.join('.') || 'message'}: ${issue?.message}` };
  }
  return parsed.data;
}
