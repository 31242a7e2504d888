import { z } from 'zod';

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
