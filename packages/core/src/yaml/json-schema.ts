import { z } from 'zod';
import type { Registry } from '../registry.js';
import { ERROR_POLICIES, OVERFLOW_POLICIES } from './pipeline-file.js';

type JsonSchema = Record<string, unknown>;

/**
 * A string that is exactly one `${VAR}` or `${VAR:-default}` (or a per-call `${call.NAME}` under
 * `beluga serve`): accepted wherever a scalar is.
 */
const VARIABLE: JsonSchema = {
  type: 'string',
  pattern: '^\\$\\{(call\\.)?[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}$',
  description: 'An environment variable, interpolated when the pipeline is loaded',
};

/** A string holding `${VAR}` references among other text: interpolated before any check applies. */
const TEMPLATE: JsonSchema = {
  type: 'string',
  pattern: '\\$\\{(call\\.)?[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}',
  description: 'Text with environment variables, interpolated when the pipeline is loaded',
};

/** String constraints a `${VAR}` reference would fail before it is interpolated. */
const STRING_CHECKS = ['format', 'pattern', 'minLength', 'maxLength'] as const;

const ENDPOINT = '[^\\s.>-][^\\s.]*(\\.[^\\s.]+)?';
const CHAIN: JsonSchema = {
  type: 'string',
  pattern: `^\\s*${ENDPOINT}(\\s*->\\s*${ENDPOINT})+\\s*$`,
  description: 'Endpoints joined by "->": `node` (default port) or `node.port`',
};

/**
 * JSON Schema (draft-07, what yaml-language-server reads best) of a pipeline file whose node
 * types are those of `registry`: each node's `config` is checked against its type's schema.
 */
export function pipelineJsonSchema(registry: Registry): JsonSchema {
  const entries = registry.entries();
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Beluga Voice pipeline',
    type: 'object',
    required: ['version', 'nodes'],
    additionalProperties: false,
    properties: {
      version: { const: 1, description: 'Pipeline file format version' },
      name: { type: 'string', description: 'Pipeline name' },
      description: { type: 'string' },
      autoConvert: {
        anyOf: [{ type: 'boolean' }, VARIABLE],
        description: 'Insert converters where audio formats do not match',
      },
      plugins: {
        type: 'array',
        items: { type: 'string' },
        description: 'Extra node packages (names) or modules exporting `nodes` (paths relative to this file)',
      },
      nodes: {
        type: 'object',
        description: 'Node id -> { type, config, onError }',
        propertyNames: { pattern: '^[^.]+$' },
        additionalProperties: { $ref: '#/definitions/node' },
      },
      links: {
        type: 'array',
        description: 'Chains "a -> b.port -> c" or { chain, queue, feedback }',
        items: { anyOf: [CHAIN, { $ref: '#/definitions/link' }] },
      },
    },
    definitions: {
      node: {
        type: 'object',
        required: ['type'],
        additionalProperties: false,
        properties: {
          type: {
            type: 'string',
            enum: entries.map((e) => e.spec.type),
            enumDescriptions: entries.map((e) => e.spec.summary),
            description: 'Node type',
          },
          config: { type: ['object', 'null'], description: "Configuration, checked against the node type's schema" },
          onError: { $ref: '#/definitions/onError' },
        },
        allOf: entries.map(({ spec }) => ({
          if: { properties: { type: { const: spec.type } }, required: ['type'] },
          // biome-ignore lint/suspicious/noThenProperty: `then` is the JSON Schema keyword, not a thenable
          then: {
            properties: { config: { description: spec.summary, ...allowVariables(nodeConfigSchema(spec.config)) } },
          },
        })),
      },
      onError: allowVariables({
        description: 'What happens when the node fails',
        anyOf: [
          { type: 'string', enum: [...ERROR_POLICIES] },
          {
            type: 'object',
            required: ['policy'],
            additionalProperties: false,
            properties: {
              policy: { type: 'string', enum: [...ERROR_POLICIES] },
              maxRestarts: { type: 'integer', minimum: 0, description: 'Restarts before failing (policy restart)' },
              backoffMs: {
                type: 'number',
                exclusiveMinimum: 0,
                description: 'First backoff in ms, doubled each restart',
              },
            },
          },
        ],
      }),
      link: allowVariables({
        type: 'object',
        required: ['chain'],
        additionalProperties: false,
        properties: {
          chain: CHAIN,
          queue: {
            type: 'object',
            additionalProperties: false,
            description: 'Queue settings for every hop of the chain',
            properties: {
              max: {
                description: 'A frame count (40) or a duration of audio ("400ms", "2s")',
                anyOf: [
                  { type: 'integer', minimum: 1 },
                  { type: 'string', pattern: '^\\d+(\\.\\d+)?\\s*(ms|s)$' },
                ],
              },
              overflow: {
                type: 'string',
                enum: [...OVERFLOW_POLICIES],
                description: 'What happens when the queue is full',
              },
            },
          },
          feedback: {
            type: 'boolean',
            description: 'Declares a deliberate cycle (e.g. tool results back into the provider)',
          },
        },
      }),
    },
  };
}

/** A node type's config schema, as users write it (defaults optional), without its own `$schema`. */
export function nodeConfigSchema(config: z.ZodType): JsonSchema {
  const { $schema: _, ...schema } = z.toJSONSchema(config, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-7',
  }) as JsonSchema;
  return schema;
}

const ANNOTATIONS = ['title', 'description', 'default', 'examples'] as const;
const NESTED_MAPS = ['properties', 'definitions', 'patternProperties'] as const;
const NESTED_LISTS = ['anyOf', 'oneOf', 'allOf'] as const;

/**
 * Lets every number, boolean or enum in `schema` also be a `${VAR}` reference, and every string
 * with a format, pattern or length also hold `${VAR}` references (`${HOST}/v1`).
 */
export function allowVariables(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...schema };
  for (const key of NESTED_MAPS) {
    const map = schema[key] as Record<string, JsonSchema> | undefined;
    if (map) out[key] = Object.fromEntries(Object.entries(map).map(([k, v]) => [k, allowVariables(v)]));
  }
  for (const key of NESTED_LISTS) {
    const list = schema[key] as JsonSchema[] | undefined;
    if (list) out[key] = list.map(allowVariables);
  }
  for (const key of ['items', 'additionalProperties'] as const) {
    const nested = schema[key];
    if (nested && typeof nested === 'object' && !Array.isArray(nested)) out[key] = allowVariables(nested as JsonSchema);
  }
  const type = schema.type;
  const scalar = type === 'number' || type === 'integer' || type === 'boolean' || 'enum' in schema || 'const' in schema;
  const checkedString = type === 'string' && STRING_CHECKS.some((key) => key in schema);
  if (!scalar && !checkedString) return out;
  const outer: JsonSchema = {};
  const inner: JsonSchema = { ...out };
  for (const key of ANNOTATIONS) {
    if (key in inner) {
      outer[key] = inner[key];
      delete inner[key];
    }
  }
  return { ...outer, anyOf: [inner, scalar ? VARIABLE : TEMPLATE] };
}
