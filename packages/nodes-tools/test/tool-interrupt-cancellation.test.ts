import type { Frame } from '@beluga-voice/core';
import { runNode } from '@beluga-voice/core/testing';
import { describe, expect, it } from 'vitest';
import { defineTool, toolRouterNode } from '../src/index.js';
import { deferred, problems, settle, toolCall } from './support.js';

describe('tools.router on interrupt', () => {
  it('aborts in-flight cancelOnInterrupt calls with a cancelled result and lets the others finish', async () => {
    const searchSignals: AbortSignal[] = [];
    const saved = deferred<string>();
    const search = defineTool({
      name: 'search',
      description: 'A slow search',
      cancelOnInterrupt: true,
      execute: (_args, ctx) => {
        searchSignals.push(ctx.signal);
        return new Promise(() => {});
      },
    });
    const save = defineTool({ name: 'save', description: 'Must not be cut short', execute: () => saved.promise });
    const harness = await runNode(toolRouterNode, {
      id: 'tools',
      config: { tools: [search, save] },
      inputs: { calls: [toolCall('s1', 'search', {}), toolCall('w1', 'save', {})] },
    });
    const results: Frame[] = [];
    let completed = false;
    harness.outputs.results?.subscribe({ next: (r) => results.push(r), complete: () => (completed = true) });
    await settle();
    expect(searchSignals.map((s) => s.aborted)).toEqual([false]);

    harness.sendControl({ type: 'interrupt', source: 'vad', responseId: 'r1' });
    await settle();
    expect(searchSignals[0].aborted).toBe(true);
    expect((searchSignals[0].reason as Error).message).toBe('interrupted by the user');
    expect(results).toEqual([
      {
        kind: 'tool-result',
        timestamp: expect.any(Number),
        id: 's1',
        name: 'search',
        output: 'Cancelled: tool "search" was stopped because the user interrupted',
        isError: true,
        cancelled: true,
      },
    ]);
    expect(completed).toBe(false);

    saved.resolve('saved');
    await settle();
    expect(results[1]).toMatchObject({ id: 'w1', output: 'saved' });
    expect(results[1]).not.toHaveProperty('cancelled');
    expect(completed).toBe(true);
    expect(problems(harness.events)).toEqual([
      { type: 'warning', code: 'tool-cancelled', message: 'call s1 to "search" was cancelled: the user interrupted' },
    ]);
  });

  it('aborts every in-flight call when the output is unsubscribed (pipeline close)', async () => {
    const signals: AbortSignal[] = [];
    const slow = defineTool({
      name: 'slow',
      description: 'Never ends',
      execute: (_args, ctx) => {
        signals.push(ctx.signal);
        return new Promise(() => {});
      },
    });
    const harness = await runNode(toolRouterNode, {
      config: { tools: [slow] },
      inputs: { calls: [toolCall('a', 'slow', {}), toolCall('b', 'slow', {})] },
    });
    const subscription = harness.outputs.results?.subscribe();
    await settle();
    expect(signals.map((s) => s.aborted)).toEqual([false, false]);
    subscription?.unsubscribe();
    expect(signals.map((s) => s.aborted)).toEqual([true, true]);
    expect((signals[0].reason as Error).message).toBe('the pipeline closed');
  });
});
