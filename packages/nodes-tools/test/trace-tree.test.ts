import { defineNode, type FrameOf, GraphBuilder, Registry } from '@beluga-voice/core';
import { nodes as coreNodes } from '@beluga-voice/core/nodes';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { from } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { nodes as toolNodes } from '../src/nodes.js';

const FORMAT = { encoding: 'pcm16', sampleRate: 24_000, channels: 1 } as const;

/** One user turn, as a VAD would frame it: speech start, 200 ms of audio, speech stop. */
const userTurn = defineNode({
  type: 'test.user-turn',
  summary: 'One user turn framed by speech start and stop',
  config: z.object({}).strict(),
  inputs: {},
  outputs: { audio: { kinds: ['audio', 'speech-start', 'speech-stop'], format: FORMAT } },
  create: () => () => ({
    audio: from<FrameOf<'audio' | 'speech-start' | 'speech-stop'>[]>([
      { kind: 'speech-start', timestamp: 0, source: 'vad' },
      ...Array.from({ length: 10 }, (_, i) => ({
        kind: 'audio' as const,
        timestamp: i * 20,
        format: FORMAT,
        samples: new Int16Array(480).fill(1000),
      })),
      { kind: 'speech-stop', timestamp: 200, source: 'vad' },
    ]),
  }),
});

/** The names from a span up to its root, following parent ids within the finished spans. */
function ancestry(span: ReadableSpan, all: readonly ReadableSpan[]): string[] {
  const chain = [span.name];
  let parent = span.parentSpanContext?.spanId;
  while (parent) {
    const next = all.find((s) => s.spanContext().spanId === parent);
    if (!next) {
      chain.push(`<missing ${parent}>`);
      break;
    }
    chain.push(next.name);
    parent = next.parentSpanContext?.spanId;
  }
  return chain;
}

describe('one conversation is one trace', () => {
  it('pipeline → node → provider.session → beluga.turn → provider.response → tool.execute, parented explicitly', async () => {
    const exporter = new InMemorySpanExporter();
    const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('test');
    const pipeline = new GraphBuilder(new Registry([...coreNodes, ...toolNodes]), 'traced')
      .node('user', userTurn)
      .node('agent', 'provider.scripted', {
        realtime: false,
        latencyMs: 0,
        script: [
          {
            reply: [
              { say: 'Let me work that out.', toolCall: { name: 'calculator', arguments: { expression: '6 * 7' } } },
              { say: 'Six times seven is 42.' },
            ],
          },
        ],
      })
      .node('tools', 'tools.router', { tools: ['calculator'] })
      .link('user', 'agent')
      .link('agent.toolCalls', 'tools.calls')
      .feedback('tools.results', 'agent.toolResults')
      .build()
      .start({ tracer });
    await pipeline.done;

    const spans = exporter.getFinishedSpans();
    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(1);
    const tool = spans.find((s) => s.name === 'tool.execute') as ReadableSpan;
    expect(ancestry(tool, spans)).toEqual([
      'tool.execute',
      'provider.response',
      'beluga.turn',
      'provider.session',
      'beluga.node',
      'beluga.pipeline',
    ]);
    const responses = spans.filter((s) => s.name === 'provider.response');
    expect(responses.length).toBe(2);
    for (const response of responses) {
      expect(ancestry(response, spans)).toEqual([
        'provider.response',
        'beluga.turn',
        'provider.session',
        'beluga.node',
        'beluga.pipeline',
      ]);
    }
    const session = spans.find((s) => s.name === 'provider.session') as ReadableSpan;
    const agentNode = spans.find((s) => s.spanContext().spanId === session.parentSpanContext?.spanId);
    expect(agentNode?.attributes['beluga.node.id']).toBe('agent');
  });
});
