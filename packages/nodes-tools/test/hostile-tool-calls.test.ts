import type { ToolCallFrame } from '@beluga-voice/core';
import { runNode } from '@beluga-voice/core/testing';
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, toolRouterNode } from '../src/index.js';
import { deferred, problems, settle, toolCall } from './support.js';

describe('tools.router against hostile calls', () => {
  it('echoes a 5 MB unknown tool name to the model and the bus cut to 64 characters', async () => {
    const name = `x${'A'.repeat(5 * 1024 * 1024)}`;
    const harness = await runNode(toolRouterNode, {
      config: { tools: ['calculator'] },
      inputs: { calls: [toolCall('c1', name, {})] },
    });
    const results = await harness.collect('results');
    const shown = `x${'A'.repeat(63)}… (${name.length} characters)`;
    expect(results).toEqual([
      {
        kind: 'tool-result',
        timestamp: expect.any(Number),
        id: 'c1',
        name: shown,
        output: `Error: unknown tool "${shown}". Available tools: calculator.`,
        isError: true,
      },
    ]);
    expect(problems(harness.events)).toEqual([
      {
        type: 'warning',
        code: 'tool-unknown',
        message: `call c1 asks for unknown tool "${shown}" (available: calculator)`,
      },
    ]);
    expect(harness.events.filter((e) => e.type === 'metric')).toMatchObject([
      { name: 'tool.duration', attributes: { tool: '(unknown)', status: 'unknown-tool' } },
    ]);
    expect(JSON.stringify(harness.events).length).toBeLessThan(2_000);
  });

  it('runs a call once however often the model repeats its id, while running and after', async () => {
    const executions: string[] = [];
    const gate = deferred<void>();
    const charge = defineTool({
      name: 'charge_card',
      description: 'Charges a card once',
      parameters: z.object({ cents: z.number().int() }),
      execute: async ({ cents }) => {
        executions.push(`charged ${cents}`);
        await gate.promise;
        return `charged ${cents} cents`;
      },
    });
    const calls = new Subject<ToolCallFrame>();
    const harness = await runNode(toolRouterNode, { id: 'tools', config: { tools: [charge] }, inputs: { calls } });
    const collected = harness.collect('results');
    calls.next(toolCall('pay-1', 'charge_card', { cents: 500 }));
    calls.next(toolCall('pay-1', 'charge_card', { cents: 500 }));
    await settle();
    gate.resolve();
    await settle();
    calls.next(toolCall('pay-1', 'charge_card', { cents: 500 }));
    calls.next(toolCall('pay-2', 'charge_card', { cents: 700 }));
    calls.complete();
    const results = await collected;
    expect(executions).toEqual(['charged 500', 'charged 700']);
    expect(results.map((r) => (r.kind === 'tool-result' ? [r.id, r.output] : r.kind)).sort()).toEqual([
      ['pay-1', 'charged 500 cents'],
      ['pay-2', 'charged 700 cents'],
    ]);
    const repeated = {
      type: 'warning',
      code: 'tool-duplicate-call',
      message:
        'call pay-1 to "charge_card" repeats the id of an earlier call: not run again (the first call\'s result answers it)',
    };
    expect(problems(harness.events)).toEqual([repeated, repeated]);
  });

  it('bounds a 1 MB call id in every bus message and span, while the result keeps the id whole', async () => {
    const id = `call_${'9'.repeat(1024 * 1024)}`;
    const harness = await runNode(toolRouterNode, {
      config: { tools: ['calculator'] },
      inputs: { calls: [toolCall(id, 'calculator', { expression: '1 / 0' })] },
    });
    const results = await harness.collect('results');
    expect(results).toMatchObject([
      { id, output: 'Error: tool "calculator" failed: math error at position 3: division by zero' },
    ]);
    expect(problems(harness.events)).toEqual([
      {
        type: 'error',
        code: 'tool-failed',
        message: `call call_${'9'.repeat(59)}… (${id.length} characters) to "calculator" failed: math error at position 3: division by zero`,
      },
    ]);
  });
});
