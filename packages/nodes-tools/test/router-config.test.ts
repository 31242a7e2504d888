import { configJsonSchema } from '@beluga-voice/core';
import { describe, expect, it } from 'vitest';
import { calculator, toolRouterNode } from '../src/index.js';

const issues = (config: unknown) => {
  const parsed = toolRouterNode.config.safeParse(config);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('tools.router config', () => {
  it('takes built-in names, { builtin }, { module, export }, { mcp } and tool objects, with defaults', () => {
    const parsed = toolRouterNode.config.parse({
      tools: [
        'calculator',
        { builtin: 'current_time' },
        { module: './tools.js', export: 'getWeather' },
        { mcp: { command: 'node', args: ['server.mjs'] } },
        calculator,
      ],
    });
    expect(parsed).toEqual({
      tools: [
        'calculator',
        { builtin: 'current_time' },
        { module: './tools.js', export: 'getWeather' },
        { mcp: { command: 'node', args: ['server.mjs'], cancelOnInterrupt: false, startTimeoutMs: 10_000 } },
        calculator,
      ],
      concurrency: 4,
      timeoutMs: 10_000,
    });
    expect(parsed.tools[4]).toBe(calculator);
  });

  it('refuses unknown keys, unknown built-ins and an empty tool list', () => {
    expect(issues({ tools: ['calculator'], concurency: 2 })).toEqual([': Unrecognized key: "concurency"']);
    expect(issues({ tools: [] })).toEqual(['tools: Too small: expected array to have >=1 items']);
    expect(issues({ tools: ['calculater'] })).toEqual([
      'tools.0: unknown built-in tool "calculater", did you mean "calculator"? (built-ins: calculator, current_time, end_session)',
    ]);
    expect(issues({ tools: [{ builtin: 'weather' }] })).toEqual([
      'tools.0: unknown built-in tool "weather" (built-ins: calculator, current_time, end_session)',
    ]);
    expect(issues({ tools: [{ mcp: { command: 'node', argv: [] } }] })).toEqual([
      'tools.0.mcp: Unrecognized key: "argv"',
    ]);
    expect(issues({ tools: [{ module: './x.js', exports: 'y' }] })).toEqual(['tools.0: Unrecognized key: "exports"']);
    expect(issues({ tools: [42, { run: () => 1 }] })).toEqual([
      'tools.0: expected a built-in tool name, { builtin }, { module, export }, { mcp: { command, args } } or a tool made with defineTool',
      'tools.1: expected a built-in tool name, { builtin }, { module, export }, { mcp: { command, args } } or a tool made with defineTool',
    ]);
    expect(issues({ tools: ['calculator'], concurrency: 0 })).toEqual([
      'concurrency: Too small: expected number to be >=1',
    ]);
  });

  it('exports a JSON Schema for YAML editors and `beluga nodes`', () => {
    const schema = configJsonSchema(toolRouterNode) as {
      properties: Record<string, { items?: { anyOf: unknown[] }; default?: unknown }>;
      additionalProperties: boolean;
    };
    expect(Object.keys(schema.properties)).toEqual(['tools', 'concurrency', 'timeoutMs']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.concurrency.default).toBe(4);
    expect(schema.properties.tools.items?.anyOf[0]).toEqual({
      type: 'string',
      enum: ['calculator', 'current_time', 'end_session'],
      description: 'A built-in tool',
    });
    expect(schema.properties.tools.items?.anyOf).toHaveLength(5);
  });
});
