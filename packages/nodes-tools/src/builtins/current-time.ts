import { z } from 'zod';
import { defineTool } from '../tool.js';

export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** `Wednesday 2026-11-25 12:40:40 in Europe/Paris (UTC+01:00)`: unambiguous for the model to read out. */
export function formatTimeIn(epochMs: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'long',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'longOffset',
  }).formatToParts(new Date(epochMs));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const offset = part('timeZoneName').replace('GMT', '') || '+00:00';
  return (
    `${part('weekday')} ${part('year')}-${part('month')}-${part('day')} ` +
    `${part('hour')}:${part('minute')}:${part('second')} in ${timeZone} (UTC${offset})`
  );
}

export const currentTime = defineTool({
  name: 'current_time',
  description: "Tells the current date and time in a time zone. Pass the user's time zone when you know it.",
  parameters: z.object({
    timeZone: z
      .string()
      .default('UTC')
      .describe('IANA time zone name, e.g. "Europe/Paris" or "America/New_York"; default UTC')
      .superRefine((timeZone, check) => {
        if (!isTimeZone(timeZone)) {
          check.addIssue({
            code: 'custom',
            message: `unknown time zone "${timeZone}"; use an IANA name such as "Europe/Paris" or "America/New_York"`,
          });
        }
      }),
  }),
  execute: ({ timeZone }, ctx) => formatTimeIn(ctx.now(), timeZone),
});
