import { z } from 'zod';

/**
 * `session.update` payloads as the service accepts them, per protocol version. Objects are
 * strict: an unknown field is `unknown_parameter` (pitfall 8), as on the real endpoint.
 */

const toolChoice = z.union([
  z.enum(['auto', 'none', 'required']),
  z.strictObject({ type: z.literal('function'), name: z.string() }),
  z.strictObject({ type: z.literal('mcp'), server_label: z.string(), name: z.string().optional() }),
]);

const tool = z.strictObject({
  type: z.literal('function'),
  name: z.string().min(1),
  description: z.string().optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
});

const maxTokens = z.union([z.number().int().min(1).max(4096), z.literal('inf')]);

const transcription = z
  .strictObject({ model: z.string(), language: z.string().optional(), prompt: z.string().optional() })
  .nullable();

const noiseReduction = z.strictObject({ type: z.enum(['near_field', 'far_field']) }).nullable();

function turnDetection(ga: boolean) {
  return z
    .discriminatedUnion('type', [
      z.strictObject({
        type: z.literal('server_vad'),
        threshold: z.number().min(0).max(1).optional(),
        prefix_padding_ms: z.number().int().min(0).optional(),
        silence_duration_ms: z.number().int().min(0).optional(),
        create_response: z.boolean().optional(),
        interrupt_response: z.boolean().optional(),
        ...(ga ? { idle_timeout_ms: z.number().int().min(0).nullable().optional() } : {}),
      }),
      z.strictObject({
        type: z.literal('semantic_vad'),
        eagerness: z.enum(['low', 'medium', 'high', 'auto']).optional(),
        create_response: z.boolean().optional(),
        interrupt_response: z.boolean().optional(),
      }),
    ])
    .nullable();
}

const gaFormat = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('audio/pcm'), rate: z.literal(24000) }),
  z.strictObject({ type: z.literal('audio/pcmu') }),
  z.strictObject({ type: z.literal('audio/pcma') }),
]);

const voice = z.union([z.string().min(1), z.strictObject({ id: z.string() })]);

export const gaSessionSchema = z.strictObject({
  type: z.enum(['realtime', 'transcription']),
  model: z.string().optional(),
  output_modalities: z.union([z.tuple([z.literal('audio')]), z.tuple([z.literal('text')])]).optional(),
  instructions: z.string().optional(),
  audio: z
    .strictObject({
      input: z
        .strictObject({
          format: gaFormat.optional(),
          transcription: transcription.optional(),
          noise_reduction: noiseReduction.optional(),
          turn_detection: turnDetection(true).optional(),
        })
        .optional(),
      output: z
        .strictObject({
          format: gaFormat.optional(),
          voice: voice.optional(),
          speed: z.number().min(0.25).max(1.5).optional(),
        })
        .optional(),
    })
    .optional(),
  tools: z.array(tool).optional(),
  tool_choice: toolChoice.optional(),
  max_output_tokens: maxTokens.optional(),
  truncation: z.unknown().optional(),
  prompt: z.unknown().optional(),
  include: z.array(z.string()).nullable().optional(),
  tracing: z.unknown().optional(),
  reasoning: z.unknown().optional(),
  parallel_tool_calls: z.boolean().optional(),
});

const betaFormat = z.enum(['pcm16', 'g711_ulaw', 'g711_alaw']);

export const betaSessionSchema = z.strictObject({
  model: z.string().optional(),
  modalities: z
    .array(z.enum(['text', 'audio']))
    .min(1)
    .optional(),
  instructions: z.string().optional(),
  voice: z.string().min(1).optional(),
  speed: z.number().min(0.25).max(1.5).optional(),
  input_audio_format: betaFormat.optional(),
  output_audio_format: betaFormat.optional(),
  input_audio_transcription: transcription.optional(),
  input_audio_noise_reduction: noiseReduction.optional(),
  turn_detection: turnDetection(false).optional(),
  tools: z.array(tool).optional(),
  tool_choice: toolChoice.optional(),
  temperature: z.number().min(0.6).max(1.2).optional(),
  max_response_output_tokens: maxTokens.optional(),
  tracing: z.unknown().optional(),
});

export type GaSessionUpdate = z.infer<typeof gaSessionSchema>;
export type BetaSessionUpdate = z.infer<typeof betaSessionSchema>;

export interface ParameterError {
  readonly code: 'unknown_parameter' | 'missing_required_parameter' | 'invalid_type' | 'invalid_value';
  readonly param: string;
  readonly message: string;
}

/** `session.tools[0].meta` style, as the service names parameters. */
export function paramName(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `.${String(key)}`;
  return out;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const key of path) {
    if (!value || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** Validates `data` and names the first problem the way the service does. */
export function validateParameters<S extends z.ZodType>(
  schema: S,
  data: unknown,
  root: string,
): { ok: true; value: z.infer<S> } | { ok: false; error: ParameterError } {
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  if (issue.code === 'unrecognized_keys') {
    const param = paramName(root, [...issue.path, issue.keys[0]]);
    return { ok: false, error: { code: 'unknown_parameter', param, message: `Unknown parameter: '${param}'.` } };
  }
  const param = paramName(root, issue.path);
  if (valueAt(data, issue.path) === undefined) {
    return {
      ok: false,
      error: { code: 'missing_required_parameter', param, message: `Missing required parameter: '${param}'.` },
    };
  }
  if (issue.code === 'invalid_type') {
    return {
      ok: false,
      error: { code: 'invalid_type', param, message: `Invalid type for '${param}': ${issue.message}.` },
    };
  }
  return {
    ok: false,
    error: { code: 'invalid_value', param, message: `Invalid value for '${param}': ${issue.message}.` },
  };
}
