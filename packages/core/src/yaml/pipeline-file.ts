import { z } from 'zod';
import type { ErrorPolicy, NodeErrorSettings, OverflowPolicy, QueueSettings } from '../graph/model.js';

/** The structure of a pipeline file; node configs are checked against their own schemas afterwards. */
export const OVERFLOW_POLICIES = [
  'drop-oldest',
  'drop-newest',
  'block',
  'error',
] as const satisfies readonly OverflowPolicy[];
export const ERROR_POLICIES = ['fail', 'restart', 'ignore'] as const satisfies readonly ErrorPolicy[];

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s)$/;

export const queueSchema = z
  .object({
    max: z
      .union([z.number().int().positive(), z.string().regex(DURATION)])
      .optional()
      .describe('Queue bound: a frame count (40) or a duration of audio ("400ms", "2s")'),
    overflow: z.enum(OVERFLOW_POLICIES).optional().describe('What happens when the queue is full'),
  })
  .strict();

export const linkObjectSchema = z
  .object({
    chain: z.string().describe('Endpoints joined by "->": `node` or `node.port`'),
    queue: queueSchema.optional().describe('Queue settings for every hop of the chain'),
    feedback: z.boolean().optional().describe('Declares a deliberate cycle (e.g. tool results back into the provider)'),
  })
  .strict();

export const onErrorSchema = z.union([
  z.enum(ERROR_POLICIES),
  z
    .object({
      policy: z.enum(ERROR_POLICIES),
      maxRestarts: z.number().int().nonnegative().optional().describe('Restarts before failing (policy restart)'),
      backoffMs: z.number().positive().optional().describe('First backoff in ms, doubled each restart'),
    })
    .strict(),
]);

export const nodeDeclSchema = z
  .object({
    type: z.string().min(1).describe('Node type, e.g. audio.file-source'),
    config: z
      .record(z.string(), z.unknown())
      .nullish()
      .describe("Configuration, checked against the node type's schema"),
    onError: onErrorSchema
      .optional()
      .describe('fail (default), restart or ignore, or { policy, maxRestarts, backoffMs }'),
  })
  .strict();

export const pipelineFileSchema = z
  .object({
    version: z.literal(1).describe('Pipeline file format version'),
    name: z.string().optional().describe('Pipeline name'),
    description: z.string().optional(),
    autoConvert: z.boolean().optional().describe('Insert converters where audio formats do not match'),
    plugins: z
      .array(z.string())
      .optional()
      .describe('Extra node packages (names) or modules exporting `nodes` (paths relative to this file)'),
    nodes: z.record(z.string(), z.unknown()).describe('Node id -> { type, config, onError }'),
    links: z.array(z.unknown()).optional().describe('Chains "a -> b.port -> c" or { chain, queue, feedback }'),
  })
  .strict();

export type PipelineFile = z.output<typeof pipelineFileSchema>;

export function normalizeQueue(queue: z.output<typeof queueSchema>): QueueSettings {
  const duration = typeof queue.max === 'string' ? DURATION.exec(queue.max) : null;
  const max = duration
    ? (`${Number(duration[1]) * (duration[2] === 's' ? 1000 : 1)}ms` as const)
    : (queue.max as number | undefined);
  return { ...(max !== undefined ? { max } : {}), ...(queue.overflow ? { overflow: queue.overflow } : {}) };
}

export function normalizeOnError(onError: z.output<typeof onErrorSchema>): NodeErrorSettings {
  return typeof onError === 'string' ? { policy: onError } : onError;
}
