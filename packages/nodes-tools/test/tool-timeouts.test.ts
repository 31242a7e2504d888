import type { Frame } from '@beluga-voice/core';
import { runNode } from '@beluga-voice/core/testing';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { defineTool, toolRouterNode } from '../src/index.js';
import { problems, settle, toolCall } from './support.js';

const aborts: unknown[] = [];

/** Never finishes on its own; reports why its signal was aborted. */
const hang = defineTool({
  name: 'hang',
  description: 'Waits forever',
  execute: (_args, ctx) =>
    new Promise((_resolve, reject) => {
      ctx.signal.addEventListener('abort', () => {
        aborts.push((ctx.signal.reason as Error).message);
        reject(ctx.signal.reason);
      });
    }),
});

const patient = defineTool({ ...hang, name: 'patient', timeoutMs: 2_000 });

describe('tools.router timeouts', () => {
  it('times out on the scheduler, aborts the tool and reports the limit', async () => {
    aborts.length = 0;
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const harness = await runNode(toolRouterNode, {
      id: 'tools',
      config: { tools: [hang, patient], timeoutMs: 500 },
      inputs: { calls: [toolCall('c1', 'hang', {}, 100), toolCall('c2', 'patient', {}, 100)] },
      scheduler,
    });
    const results: Frame[] = [];
    let completed = false;
    harness.outputs.results?.subscribe({ next: (r) => results.push(r), complete: () => (completed = true) });
    await settle();
    expect(results).toEqual([]);

    scheduler.maxFrames = 499;
    scheduler.flush();
    await settle();
    expect(results).toEqual([]);

    scheduler.maxFrames = 500;
    scheduler.flush();
    await settle();
    expect(results).toEqual([
      {
        kind: 'tool-result',
        timestamp: 600,
        id: 'c1',
        name: 'hang',
        output: 'Error: tool "hang" timed out after 500 ms',
        isError: true,
      },
    ]);
    expect(aborts).toEqual(['timed out after 500 ms']);
    expect(completed).toBe(false);

    scheduler.maxFrames = Number.POSITIVE_INFINITY;
    scheduler.flush();
    await settle();
    expect(results[1]).toMatchObject({
      id: 'c2',
      timestamp: 2_100,
      output: 'Error: tool "patient" timed out after 2000 ms',
    });
    expect(completed).toBe(true);
    expect(problems(harness.events)).toEqual([
      { type: 'error', code: 'tool-timeout', message: 'call c1 to "hang" timed out after 500 ms' },
      { type: 'error', code: 'tool-timeout', message: 'call c2 to "patient" timed out after 2000 ms' },
    ]);
    expect(harness.events.filter((e) => e.type === 'metric')).toMatchObject([
      { name: 'tool.duration', value: 500, unit: 'ms', attributes: { tool: 'hang', status: 'timeout' } },
      { name: 'tool.duration', value: 2_000, unit: 'ms', attributes: { tool: 'patient', status: 'timeout' } },
    ]);
  });

  it('cancels the timer when the tool finishes in time', async () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const quick = defineTool({ name: 'quick', description: 'Answers at once', execute: () => 'fine' });
    const harness = await runNode(toolRouterNode, {
      config: { tools: [quick], timeoutMs: 500 },
      inputs: { calls: [toolCall('c1', 'quick', {})] },
      scheduler,
    });
    const results: Frame[] = [];
    harness.outputs.results?.subscribe((r) => results.push(r));
    await settle();
    expect(results).toMatchObject([{ id: 'c1', output: 'fine' }]);
    expect(scheduler.actions).toEqual([]);
  });
});
