import type { Frame } from '@beluga-voice/core';
import { runNode } from '@beluga-voice/core/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, toolRouterNode } from '../src/index.js';
import { deferred, settle, toolCall } from './support.js';

function controlledTool() {
  const pending = new Map<number, ReturnType<typeof deferred<string>>>();
  const started: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const tool = defineTool({
    name: 'work',
    description: 'Finishes when the test says so',
    parameters: z.object({ n: z.number() }),
    execute: async ({ n }) => {
      started.push(n);
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      const done = deferred<string>();
      pending.set(n, done);
      try {
        return await done.promise;
      } finally {
        inFlight--;
      }
    },
  });
  return { tool, pending, started, maxInFlight: () => maxInFlight };
}

const ids = (frames: Frame[]) => frames.map((f) => (f.kind === 'tool-result' ? `${f.id}=${f.output}` : f.kind));

describe('tools.router concurrency', () => {
  it('runs at most `concurrency` calls at once and takes the next when one finishes', async () => {
    const work = controlledTool();
    const calls = [1, 2, 3, 4, 5, 6].map((n) => toolCall(`c${n}`, 'work', { n }));
    const harness = await runNode(toolRouterNode, {
      config: { tools: [work.tool], concurrency: 2 },
      inputs: { calls },
    });
    const results: Frame[] = [];
    let completed = false;
    harness.outputs.results?.subscribe({ next: (r) => results.push(r), complete: () => (completed = true) });

    await settle();
    expect(work.started).toEqual([1, 2]);

    work.pending.get(2)?.resolve('two');
    await settle();
    expect(work.started).toEqual([1, 2, 3]);
    expect(ids(results)).toEqual(['c2=two']);

    work.pending.get(1)?.resolve('one');
    work.pending.get(3)?.resolve('three');
    await settle();
    expect(work.started).toEqual([1, 2, 3, 4, 5]);

    for (const n of [5, 4]) work.pending.get(n)?.resolve(`#${n}`);
    await settle();
    expect(work.started).toEqual([1, 2, 3, 4, 5, 6]);
    expect(completed).toBe(false);

    work.pending.get(6)?.resolve('#6');
    await settle();
    expect(ids(results)).toEqual(['c2=two', 'c1=one', 'c3=three', 'c5=#5', 'c4=#4', 'c6=#6']);
    expect(work.maxInFlight()).toBe(2);
    expect(completed).toBe(true);
  });

  it('runs parallel calls of one response together up to the default limit of 4', async () => {
    const work = controlledTool();
    const calls = [1, 2, 3, 4, 5].map((n) => toolCall(`c${n}`, 'work', { n }));
    const harness = await runNode(toolRouterNode, { config: { tools: [work.tool] }, inputs: { calls } });
    const results: Frame[] = [];
    harness.outputs.results?.subscribe((r) => results.push(r));
    await settle();
    expect(work.started).toEqual([1, 2, 3, 4]);
    for (const n of [4, 3, 2, 1]) work.pending.get(n)?.resolve(`r${n}`);
    await settle();
    work.pending.get(5)?.resolve('r5');
    await settle();
    expect(ids(results)).toEqual(['c4=r4', 'c3=r3', 'c2=r2', 'c1=r1', 'c5=r5']);
    expect(work.maxInFlight()).toBe(4);
  });
});
