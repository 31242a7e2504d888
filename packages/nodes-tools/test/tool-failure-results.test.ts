import { runNode } from '@beluga-voice/core/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, toolRouterNode } from '../src/index.js';
import { problems, toolCall } from './support.js';

const weather = defineTool({
  name: 'weather',
  description: 'Weather for a city',
  parameters: z.object({ city: z.string(), days: z.number().int().min(1).optional() }),
  execute: ({ city, days }) => ({ city, days: days ?? 1, sky: 'clear' }),
});

const boom = defineTool({
  name: 'boom',
  description: 'Always throws',
  execute: () => {
    throw new Error('database unreachable');
  },
});

async function route(...calls: ReturnType<typeof toolCall>[]) {
  const harness = await runNode(toolRouterNode, { id: 'tools', config: { tools: [weather, boom] }, inputs: { calls } });
  const results = await harness.collect('results');
  return { harness, results, byId: new Map(results.map((r) => [r.kind === 'tool-result' ? r.id : '', r])) };
}

describe('tools.router failure results', () => {
  it('turns invalid JSON into an error result and a warning', async () => {
    const { harness, results } = await route(toolCall('c1', 'weather', '{"city": "Paris"'));
    expect(results).toEqual([
      {
        kind: 'tool-result',
        timestamp: expect.any(Number),
        id: 'c1',
        name: 'weather',
        output:
          'Error: the arguments for tool "weather" are not valid JSON. Send a JSON object that matches the tool\'s parameters.',
        isError: true,
      },
    ]);
    expect(problems(harness.events)).toEqual([
      {
        type: 'warning',
        code: 'tool-invalid-json',
        message: expect.stringMatching(/^call c1 to "weather": arguments are not valid JSON \(.+\)$/),
      },
    ]);
  });

  it('reports invalid arguments with the validation message and its path', async () => {
    const { harness, byId } = await route(
      toolCall('c1', 'weather', { city: 42 }),
      toolCall('c2', 'weather', '"Paris"'),
      toolCall('c3', 'weather', { city: 'Oslo', days: 0 }),
    );
    expect(byId.get('c1')).toMatchObject({
      output: 'Error: invalid arguments for tool "weather": city: Invalid input: expected string, received number',
      isError: true,
    });
    expect(byId.get('c2')).toMatchObject({
      output: 'Error: invalid arguments for tool "weather": Invalid input: expected object, received string',
      isError: true,
    });
    expect(byId.get('c3')).toMatchObject({
      output: 'Error: invalid arguments for tool "weather": days: Too small: expected number to be >=1',
      isError: true,
    });
    expect(problems(harness.events)).toEqual([
      {
        type: 'warning',
        code: 'tool-invalid-arguments',
        message: 'call c1 to "weather": invalid arguments: city: Invalid input: expected string, received number',
      },
      {
        type: 'warning',
        code: 'tool-invalid-arguments',
        message: 'call c2 to "weather": invalid arguments: Invalid input: expected object, received string',
      },
      {
        type: 'warning',
        code: 'tool-invalid-arguments',
        message: 'call c3 to "weather": invalid arguments: days: Too small: expected number to be >=1',
      },
    ]);
  });

  it('names the available tools when the model asks for an unknown one', async () => {
    const { harness, results } = await route(toolCall('c1', 'forecast', {}));
    expect(results).toEqual([
      {
        kind: 'tool-result',
        timestamp: expect.any(Number),
        id: 'c1',
        name: 'forecast',
        output: 'Error: unknown tool "forecast". Available tools: weather, boom.',
        isError: true,
      },
    ]);
    expect(problems(harness.events)).toEqual([
      {
        type: 'warning',
        code: 'tool-unknown',
        message: 'call c1 asks for unknown tool "forecast" (available: weather, boom)',
      },
    ]);
  });

  it('reports a thrown error as a failed result and a non-fatal bus error', async () => {
    const { harness, results } = await route(toolCall('c1', 'boom', ''));
    expect(results).toMatchObject([
      { id: 'c1', output: 'Error: tool "boom" failed: database unreachable', isError: true },
    ]);
    expect(harness.events.filter((e) => e.type === 'error')).toMatchObject([
      {
        type: 'error',
        node: 'tools',
        code: 'tool-failed',
        message: 'call c1 to "boom" failed: database unreachable',
        fatal: false,
      },
    ]);
  });

  it('keeps running after failures: later calls succeed and the output completes', async () => {
    const { results, harness } = await route(
      toolCall('c1', 'nope', {}),
      toolCall('c2', 'boom', {}),
      toolCall('c3', 'weather', '{oops'),
      toolCall('c4', 'weather', { city: 'Lima', days: 3 }),
      toolCall('c5', 'weather', ''),
    );
    const outcomes = results.map((r) => (r.kind === 'tool-result' ? [r.id, r.isError ?? false] : []));
    // Results go out as calls finish; each keeps its call id.
    expect(outcomes.sort()).toEqual([
      ['c1', true],
      ['c2', true],
      ['c3', true],
      ['c4', false],
      ['c5', true],
    ]);
    const byId = new Map(results.map((r) => [r.kind === 'tool-result' ? r.id : '', r]));
    expect(byId.get('c4')).toMatchObject({ output: '{"city":"Lima","days":3,"sky":"clear"}' });
    expect(byId.get('c5')).toMatchObject({
      output: 'Error: invalid arguments for tool "weather": city: Invalid input: expected string, received undefined',
    });
    expect(harness.events.filter((e) => e.type === 'error').every((e) => e.type === 'error' && !e.fatal)).toBe(true);
  });

  it('treats empty arguments as an empty object', async () => {
    const ping = defineTool({ name: 'ping', description: 'Answers pong', execute: () => 'pong' });
    const harness = await runNode(toolRouterNode, {
      config: { tools: [ping] },
      inputs: { calls: [toolCall('c1', 'ping', '  ')] },
    });
    expect(await harness.collect('results')).toMatchObject([{ id: 'c1', output: 'pong' }]);
  });

  it('fails a call whose result cannot be sent as JSON', async () => {
    const big = defineTool({ name: 'big', description: 'Returns a bigint', execute: () => ({ n: 10n }) });
    const harness = await runNode(toolRouterNode, {
      config: { tools: [big] },
      inputs: { calls: [toolCall('c1', 'big', {})] },
    });
    expect(await harness.collect('results')).toMatchObject([
      {
        id: 'c1',
        output: 'Error: tool "big" failed: its result cannot be sent as JSON (Do not know how to serialize a BigInt)',
        isError: true,
      },
    ]);
  });
});
