import type { Frame } from '@beluga-voice/core';
import { runNode } from '@beluga-voice/core/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, toolRouterNode } from '../src/index.js';
import { problems, settle, toolCall } from './support.js';

describe('tools.router when the provider withdraws calls', () => {
  it('aborts exactly the withdrawn calls, whatever cancelOnInterrupt says, with a cancelled result', async () => {
    const signals = new Map<string, AbortSignal>();
    const slow = defineTool({
      name: 'slow',
      description: 'Never ends by itself',
      parameters: z.object({ tag: z.string() }),
      execute: (args, ctx) => {
        signals.set(args.tag, ctx.signal);
        return new Promise(() => {});
      },
    });
    const harness = await runNode(toolRouterNode, {
      id: 'tools',
      config: { tools: [slow] },
      inputs: { calls: [toolCall('c1', 'slow', { tag: 'one' }), toolCall('c2', 'slow', { tag: 'two' })] },
    });
    const results: Frame[] = [];
    harness.outputs.results?.subscribe((r) => results.push(r));
    await settle();

    harness.sendControl({
      type: 'cancel-tool-calls',
      source: 'agent',
      ids: ['c1'],
      reason: 'cancelled by the provider',
    });
    await settle();
    expect([signals.get('one')?.aborted, signals.get('two')?.aborted]).toEqual([true, false]);
    expect(signals.get('one')?.reason).toEqual(new Error('cancelled by the provider'));
    expect(results).toEqual([
      {
        kind: 'tool-result',
        timestamp: expect.any(Number),
        id: 'c1',
        name: 'slow',
        output: 'Cancelled: tool "slow" was stopped because the provider cancelled the call',
        isError: true,
        cancelled: true,
      },
    ]);
    expect(problems(harness.events)).toEqual([
      {
        type: 'warning',
        code: 'tool-cancelled',
        message: 'call c1 to "slow" was cancelled: the provider cancelled the call',
      },
    ]);
  });
});
