import type { ToolSpec } from '@beluga-voice/core';
import { runNode } from '@beluga-voice/core/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { calculator, currentTime, defineTool, endSession, toolSpec } from '../src/index.js';
import { routerCapturingOffers } from './support.js';

const noop = () => 'ok';

describe('tool JSON Schema from zod', () => {
  it('lists required and optional fields, defaults and descriptions', () => {
    const tool = defineTool({
      name: 'book_table',
      description: 'Books a table',
      parameters: z.object({
        restaurant: z.string().describe('Restaurant name'),
        guests: z.number().int().min(1).max(12).describe('Number of guests'),
        time: z.string().optional().describe('HH:MM, 24 h'),
        terrace: z.boolean().default(false),
      }),
      execute: noop,
    });
    expect(tool.jsonSchema).toEqual({
      type: 'object',
      properties: {
        restaurant: { type: 'string', description: 'Restaurant name' },
        guests: { type: 'integer', minimum: 1, maximum: 12, description: 'Number of guests' },
        time: { type: 'string', description: 'HH:MM, 24 h' },
        terrace: { type: 'boolean', default: false },
      },
      required: ['restaurant', 'guests'],
    });
  });

  it('turns enums, nested arrays of objects and nullable fields into plain JSON Schema', () => {
    const tool = defineTool({
      name: 'order',
      description: 'Places an order',
      parameters: z
        .object({
          size: z.enum(['small', 'medium', 'large']),
          items: z
            .array(
              z.object({
                sku: z.string(),
                quantity: z.number().int().positive(),
                notes: z.array(z.string()).optional(),
              }),
            )
            .min(1),
          coupon: z.string().nullable(),
        })
        .strict()
        .describe('An order'),
      execute: noop,
    });
    expect(tool.jsonSchema).toEqual({
      type: 'object',
      description: 'An order',
      properties: {
        size: { type: 'string', enum: ['small', 'medium', 'large'] },
        items: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            properties: {
              sku: { type: 'string' },
              quantity: { type: 'integer', exclusiveMinimum: 0, maximum: Number.MAX_SAFE_INTEGER },
              notes: { type: 'array', items: { type: 'string' } },
            },
            required: ['sku', 'quantity'],
          },
        },
        coupon: { type: ['string', 'null'] },
      },
      required: ['size', 'items', 'coupon'],
      additionalProperties: false,
    });
    expect(tool.jsonSchema).not.toHaveProperty('$schema');
  });

  it('gives a tool without parameters an empty object schema', () => {
    expect(defineTool({ name: 'ping', description: 'Ping', execute: noop }).jsonSchema).toEqual({
      type: 'object',
      properties: {},
    });
  });

  it('rejects parameters that are not an object, and names that providers refuse', () => {
    expect(() => defineTool({ name: 'bad', description: '', parameters: z.string(), execute: noop })).toThrow(
      'tool "bad": parameters must be a zod object schema (z.object({...}))',
    );
    expect(() =>
      defineTool({ name: 'when', description: '', parameters: z.object({ at: z.date() }), execute: noop }),
    ).toThrow(/^tool "when": parameters cannot be expressed in JSON Schema: /);
    expect(() => defineTool({ name: 'get weather', description: '', execute: noop })).toThrow(
      'invalid tool name "get weather": use letters, digits, "_" and "-" (at most 64 characters)',
    );
  });

  it('describes the built-in tools', () => {
    expect(toolSpec(calculator)).toEqual({
      name: 'calculator',
      description: expect.stringContaining('Operators: + - * / ^ (power) % (remainder)'),
      parameters: {
        type: 'object',
        properties: {
          expression: {
            type: 'string',
            minLength: 1,
            maxLength: 1000,
            description: 'The expression, e.g. "(12.5 * 4) / sqrt(16) + 2^3"',
          },
        },
        required: ['expression'],
      },
    });
    expect(currentTime.jsonSchema).toEqual({
      type: 'object',
      properties: {
        timeZone: {
          type: 'string',
          default: 'UTC',
          description: 'IANA time zone name, e.g. "Europe/Paris" or "America/New_York"; default UTC',
        },
      },
    });
    expect(endSession.jsonSchema).toEqual({
      type: 'object',
      properties: {
        reason: { type: 'string', maxLength: 200, description: 'Why the conversation ends, for the logs' },
      },
    });
  });
});

describe('tools.router offers its tools to the linked provider', () => {
  it('offers exactly its tools under "tools", in order', async () => {
    const offered = new Map<string, unknown>();
    const lookup = defineTool({
      name: 'lookup',
      description: 'Finds a word',
      parameters: z.object({ word: z.string() }),
      execute: noop,
    });
    await runNode(routerCapturingOffers(offered), {
      config: { tools: ['calculator', lookup, { builtin: 'end_session' }] },
    });
    const specs = offered.get('tools') as ToolSpec[];
    expect(specs.map((s) => s.name)).toEqual(['calculator', 'lookup', 'end_session']);
    expect(specs[1]).toEqual({
      name: 'lookup',
      description: 'Finds a word',
      parameters: { type: 'object', properties: { word: { type: 'string' } }, required: ['word'] },
    });
  });
});
