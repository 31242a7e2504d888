import { type BusEvent, defineNode, type Frame, GraphBuilder, providerScripted, Registry } from '@beluga-voice/core';
import { NEVER, of } from 'rxjs';
import { concatWith } from 'rxjs/operators';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const say = defineNode({
  type: 'test.say',
  summary: 'Emits one text frame and stays open',
  config: z.object({}).strict(),
  inputs: {},
  outputs: { out: { kinds: ['text'] } },
  create: () => () => ({
    out: of<Frame & { kind: 'text' }>({ kind: 'text', timestamp: 0, text: 'hi' }).pipe(concatWith(NEVER)),
  }),
});

describe('a fatal provider error in a pipeline', () => {
  it('appears once on the bus, with its code, and fails the pipeline', async () => {
    const pipeline = new GraphBuilder(new Registry([say, providerScripted]), 'fatal-once')
      .node('user', 'test.say')
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
