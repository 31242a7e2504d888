import { describe, expect, it } from 'vitest';
import { argumentsFromSchema } from '../src/mock/index.js';

describe('mock: function arguments generated from a JSON Schema', () => {
  it('fills required properties with type-correct values and leaves optional ones out', () => {
    const schema = {
      type: 'object',
      properties: {
        city: { type: 'string' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        days: { type: 'integer', minimum: 1, maximum: 7 },
        ratio: { type: 'number', exclusiveMinimum: 0 },
        live: { type: 'boolean' },
        tags: { type: 'array', items: { type: 'string' }, minItems: 2 },
        when: { type: 'string', format: 'date' },
        code: { type: 'string', minLength: 10 },
        nested: { type: 'object', properties: { id: { type: 'string', const: 'fixed' } }, required: ['id'] },
        note: { type: 'string' },
      },
      required: ['city', 'unit', 'days', 'ratio', 'live', 'tags', 'when', 'code', 'nested'],
    };
    expect(argumentsFromSchema(schema)).toEqual({
      city: 'example',
      unit: 'celsius',
      days: 1,
      ratio: 0.5,
      live: true,
      tags: ['example', 'example'],
      when: '2024-01-01',
      code: 'examplexxx',
      nested: { id: 'fixed' },
    });
  });

  it('uses defaults, the first of anyOf, nullable types and upper bounds', () => {
    expect(argumentsFromSchema({ type: 'string', default: 'd' })).toBe('d');
    expect(argumentsFromSchema({ anyOf: [{ type: 'integer', maximum: -3 }, { type: 'string' }] })).toBe(-3);
    expect(argumentsFromSchema({ type: ['null', 'string'], maxLength: 3 })).toBe('exa');
    expect(argumentsFromSchema({ properties: { a: { type: 'null' } }, required: ['a'] })).toEqual({ a: null });
    expect(argumentsFromSchema(undefined)).toEqual({});
  });
});
