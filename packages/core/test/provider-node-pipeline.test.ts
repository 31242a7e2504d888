import { type BusEvent, defineNode, type Frame, GraphBuilder, providerScripted, Registry } from '@beluga-voice/core';
import { map, of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const received: Frame[] = [];

const say = defineNode({
  type: 'test.say',
  summary: 'Emits one text frame',
  config: z.object({ text: z.string() }).strict(),
  inputs: {},
  outputs: { out: { kinds: ['text'] } },
  create: (c) => () => ({ out: of<Frame & { kind: 'text' }>({ kind: 'text', timestamp: 0, text: c.text }) }),
});

const lookup = defineNode({
  type: 'test.lookup',
  summary: 'Answers every tool call and offers its tool',
  config: z.object({}).strict(),
  inputs: { calls: { kinds: ['tool-call'], required: true } },
  outputs: { results: { kinds: ['tool-result'] } },
  create: (_c, ctx) => {
    ctx.offer('tools', [{ name: 'lookup_order', description: 'Order status', parameters: { type: 'object' } }]);
    return ({ calls }) => ({
      results: calls.pipe(
        map((call) => ({
          kind: 'tool-result' as const,
          timestamp: call.timestamp,
          id: call.id,
          output: '{"status":"shipped"}',
        })),
      ),
    });
  },
});

const collect = defineNode({
  type: 'test.collect',
  summary: 'Keeps what it receives',
  config: z.object({}).strict(),
  inputs: { in: { kinds: ['transcript', 'audio', 'tool-call'], required: true } },
  outputs: {},
  create: () => (inputs) => {
    inputs.in.subscribe((frame) => received.push(frame));
    return {};
  },
});

describe('provider node in a pipeline', () => {
  it('runs a tool round trip through a feedback link, then ends the session when the input ends', async () => {
    const graph = new GraphBuilder(new Registry([say, lookup, collect, providerScripted]))
      .node('user', 'test.say', { text: 'where is my order?' })
      .node('agent', 'provider.scripted', {
        latencyMs: 0,
        realtime: false,
        script: [
          {
            reply: [
              { say: 'Checking.', toolCall: { name: 'lookup_order', arguments: { order: 'A-1' } } },
              { say: 'Shipped.' },
            ],
          },
        ],
      })
      .node('tools', 'test.lookup')
      .node('log', 'test.collect')
      .chain('user', 'agent')
      .link('agent.toolCalls', 'tools.calls')
      .feedback('tools.results', 'agent.toolResults')
      .link('agent.transcripts', 'log.in')
      .build();
    const pipeline = graph.start({ metricsIntervalMs: 0 });
    const bus: BusEvent[] = [];
    pipeline.events$.subscribe((e) => bus.push(e));
    await pipeline.done;
    expect(received.map((f) => (f.kind === 'transcript' ? `${f.role}: ${f.text}` : f.kind))).toEqual([
      'user: where is my order?',
      'assistant: Checking.',
      'assistant: Shipped.',
    ]);
    expect(bus.filter((e) => e.type === 'error' || e.type === 'warning')).toEqual([]);
    const marks = bus
      .filter((e) => e.type === 'mark' && e.node === 'agent')
      .map((e) => (e.type === 'mark' ? e.name : ''));
    expect(marks.filter((n) => n.startsWith('response'))).toEqual([
      'response-start',
      'response-done',
      'response-start',
      'response-done',
    ]);
    expect(pipeline.state).toBe('stopped');
  });
});
