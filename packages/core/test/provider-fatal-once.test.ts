import { type BusEvent, GraphBuilder, providerScripted, Registry } from '@beluga-voice/core';
import { describe, expect, it } from 'vitest';
import { testSay } from './support/test-nodes.js';

describe('a fatal provider error in a pipeline', () => {
  it('appears once on the bus, with its code, and fails the pipeline', async () => {
    const pipeline = new GraphBuilder(new Registry([testSay, providerScripted]), 'fatal-once')
      .node('user', 'test.say-and-wait')
      .node('agent', 'provider.scripted', {
        script: [{ reply: [{ error: { message: 'server went away', code: 'server', fatal: true } }] }],
        latencyMs: 0,
        realtime: false,
      })
      .link('user.out', 'agent.audio')
      .build()
      .start();
    const events: BusEvent[] = [];
    pipeline.events$.subscribe((e) => events.push(e));
    await expect(pipeline.done).rejects.toThrow('server went away');
    const errors = events.filter((e) => e.type === 'error');
    expect(errors).toEqual([
      expect.objectContaining({
        type: 'error',
        node: 'agent',
        code: 'server',
        fatal: true,
        message: 'provider.scripted "agent": server went away',
      }),
    ]);
  });
});
