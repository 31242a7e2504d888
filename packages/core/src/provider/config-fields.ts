// Config fields every provider node declares the same way.
import { z } from 'zod';
import { PROVIDER_MAX_MESSAGE_BYTES, PROVIDER_MESSAGE_BYTES_RANGE } from './provider-socket-options.js';

/**
 * A provider's API key config field: the value given, else `$envVar`; missing both is a config
 * error that says how to fix it. Declare the key in the node's `secrets` too.
 */
export function apiKeyField(envVar: string, description: string) {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      const key = value || process.env[envVar];
      if (!key) {
        ctx.addIssue({ code: 'custom', message: `apiKey is required: set ${envVar} or the apiKey config field` });
        return z.NEVER;
      }
      return key;
    })
    .describe(`${description}; defaults to $${envVar}. Secret: never printed`);
}

/** A provider's config as its `toJSON` shows it (logs, snapshots): the key replaced, never printed. */
export function configWithKeyRedacted<T extends { apiKey: string }>(config: T): Omit<T, 'apiKey'> & { apiKey: string } {
  return { ...config, apiKey: '[redacted]' };
}

/** A function the model may call, as provider configs declare it (a `ToolSpec`). */
export const toolSpecSchema = z
  .object({
    name: z.string().min(1).describe('Function name the model calls'),
    description: z.string().default('').describe('What the function does, for the model'),
    parameters: z
      .record(z.string(), z.unknown())
      .default({ type: 'object', properties: {} })
      .describe('JSON Schema of the arguments'),
  })
  .strict();

/** A provider's `maxMessageBytes`: the largest server message its socket takes (see `providerSocketOptions`). */
export const maxMessageBytesField = z
  .number()
  .int()
  .min(PROVIDER_MESSAGE_BYTES_RANGE.min)
  .max(PROVIDER_MESSAGE_BYTES_RANGE.max)
  .default(PROVIDER_MAX_MESSAGE_BYTES)
  .describe(
    'Largest server message accepted, in bytes (default 16 MiB): a larger one is refused, the socket closed (1009) and the session reconnects',
  );
