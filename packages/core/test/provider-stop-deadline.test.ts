import { type BusEvent, defineNode, GraphBuilder, providerScripted, Registry } from '@beluga-voice/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { testSay } from './support/test-nodes.js';

let heardMs = 0;

const sink = defineNode({
  type: 'test.sink',
  summary: 'Counts the ms of audio it receives',
  config: z.object({}).strict(),
  inputs: { in: { kinds: ['audio'], required: true } },
  outputs: {},
  create: () => (inputs) => {
    inputs.in.subscribe((frame) => {
      if (frame.kind === 'audio') heardMs += (frame.samples.length / 24_000) * 1000;
    });
    return {};
  },
});

describe("the pipeline's stop deadline governs the provider node's drain", () => {
  it('stop({ timeoutMs: 10000 }) during a 6 s reply lets it finish (the node alone would cut it at 5 s)', async () => {
    const pipeline = new GraphBuilder(new Registry([testSay, sink, providerScripted]), 'long-reply')
      .node('user', 'test.say-and-wait', { text: 'tell me a story' })
      .node('agent', 'provider.scripted', {
        sampleRate: 24_000,
        latencyMs: 0,
        realtime: true,
        script: [{ reply: [{ say: 'Once upon a time.', tone: { freqHz: 300, ms: 6000 } }] }],
      })
      .node('out', 'test.sink')
      .link('user.out', 'agent.audio')
      .link('agent.audio', 'out.in')
      .build()
      .start();
    const events: BusEvent[] = [];
    pipeline.events$.subscribe((e) => events.push(e));
    await new Promise<void>((resolve) => {
      const sub = pipeline.events$.subscribe((e) => {
        if (e.type === 'mark' && e.name === 'response-start') {
          sub.unsubscribe();
          resolve();
        }
      });
    });
    await pipeline.stop({ timeoutMs: 10_000 });
    const done = events.filter((e) => e.type === 'mark' && e.name === 'response-done');
    expect(done).toEqual([expect.objectContaining({ data: expect.objectContaining({ status: 'completed' }) })]);
    expect(heardMs).toBeCloseTo(6000, 0);
    expect(events.filter((e) => e.type === 'warning')).toEqual([]);
  });
});
