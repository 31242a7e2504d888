import { z } from 'zod';

/** Conversation behaviour every provider node offers, under its `conversation` config key. */
export const conversationSchema = z
  .object({
    falseInterruptionMs: z
      .number()
      .positive()
      .optional()
      .describe(
        'User speech shorter than this while the assistant talks (a cough, "mm-hm") pauses the reply and resumes it instead of interrupting (ms)',
      ),
    idleTimeoutMs: z
      .number()
      .positive()
      .optional()
      .describe('No user speech or reply for this long triggers idleAction (ms)'),
    idleAction: z
      .enum(['end', 'prompt'])
      .default('end')
      .describe('end: end the session gracefully; prompt: ask the model to check on the user'),
    maxIdlePrompts: z
      .number()
      .int()
      .min(1)
      .default(1)
      .describe('With idleAction prompt: prompts sent while the user stays silent before the session ends'),
    idlePrompt: z
      .string()
      .default('The user has been silent for a while. Briefly ask whether they are still there.')
      .describe('Text sent to the model when idleAction is prompt'),
    stallTimeoutMs: z
      .number()
      .positive()
      .optional()
      .describe('A response with no provider event for this long is reported as stalled (ms)'),
    stallAction: z
      .enum(['report', 'cancel', 'end'])
      .default('report')
      .describe(
        'report: warn only; cancel: stop the stalled response; end: fail the node (its onError policy applies)',
      ),
  })
  .strict();

export type ConversationConfig = z.output<typeof conversationSchema>;
