import { type BusEvent, defineNode, type FrameOf, GraphBuilder, Registry } from '@beluga-voice/core';
import { nodes as coreNodes } from '@beluga-voice/core/nodes';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { concat, EMPTY, from, NEVER } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { nodes as toolNodes } from '../src/nodes.js';

const FORMAT = { encoding: 'pcm16', sampleRate: 24_000, channels: 1 } as const;

/**
 * One user turn, as a VAD would frame it: speech start, 200 ms of audio, speech stop. With
 * `stayOpen` the microphone stays open afterwards, so only the conversation can end the pipeline.
 */
const userTurn = defineNode({
  type: 'test.user-turn',
  summary: 'One user turn framed by speech start and stop',
  config: z.object({ stayOpen: z.boolean().default(false) }).strict(),
  inputs: {},
  outputs: { audio: { kinds: ['audio', 'speech-start', 'speech-stop'], format: FORMAT } },
  create: (config) => () => ({
    audio: concat(
      from<FrameOf<'audio' | 'speech-start' | 'speech-stop'>[]>([
        { kind: 'speech-start', timestamp: 0, source: 'vad' },
        ...Array.from({ length: 10 }, (_, i) => ({
          kind: 'audio' as const,
          timestamp: i * 20,
          format: FORMAT,
          samples: new Int16Array(480).fill(1000),
        })),
        { kind: 'speech-stop', timestamp: 200, source: 'vad' },
      ]),
      config.stayOpen ? NEVER : EMPTY,
    ),
  }),
});

/** The user asks; provider.scripted has the router run the calculator, then answers with the result. */
function calculatorRoundTrip() {
  return new GraphBuilder(new Registry([...coreNodes, ...toolNodes]), 'calculator-round-trip')
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
    .build();
}

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

function framesOf(events: BusEvent[]) {
  return events.flatMap((e) =>
    e.type === 'frame' && e.frame.kind !== 'audio' ? [{ node: e.node, frame: e.frame }] : [],
  );
}

describe('tool round trip through a pipeline', () => {
  it('provider.scripted asks for a tool, the router runs it, the provider gets the result and continues', async () => {
    const pipeline = calculatorRoundTrip().start({ emitFrames: true });
    const events: BusEvent[] = [];
    pipeline.events$.subscribe((e) => events.push(e));
    await pipeline.done;

    const frames = framesOf(events);
    const call = frames.find((f) => f.frame.kind === 'tool-call');
    expect(call).toMatchObject({
      node: 'agent',
      frame: { kind: 'tool-call', name: 'calculator', arguments: '{"expression":"6 * 7"}' },
    });
    const callId = call?.frame.kind === 'tool-call' ? call.frame.id : '';
    const result = frames.find((f) => f.frame.kind === 'tool-result');
    expect(result).toMatchObject({
      node: 'tools',
      frame: { kind: 'tool-result', id: callId, name: 'calculator', output: '42' },
    });
    expect(result?.frame).not.toHaveProperty('isError');

    const finals = frames.flatMap((f) =>
      f.frame.kind === 'transcript' && f.frame.final && f.frame.role === 'assistant' ? [f.frame.text] : [],
    );
    expect(finals).toEqual(['Let me work that out.', 'Six times seven is 42.']);
    const order = frames.map((f) => (f.frame.kind === 'transcript' ? `${f.frame.kind}:${f.frame.text}` : f.frame.kind));
    expect(order.indexOf('tool-result')).toBeGreaterThan(order.indexOf('tool-call'));
    expect(order.lastIndexOf('transcript:Six times seven is 42.')).toBeGreaterThan(order.indexOf('tool-result'));
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
    expect(events.filter((e) => e.type === 'metric' && e.name === 'tool.duration')).toMatchObject([
      { node: 'tools', unit: 'ms', attributes: { tool: 'calculator', status: 'ok' } },
    ]);
  });

  it('end_session from the model ends the pipeline after the reply', async () => {
    const registry = new Registry([...coreNodes, ...toolNodes]);
    const pipeline = new GraphBuilder(registry)
      .node('user', userTurn, { stayOpen: true })
      .node('agent', 'provider.scripted', {
        realtime: false,
        latencyMs: 0,
        script: [
          {
            reply: [
              { toolCall: { name: 'end_session', arguments: { reason: 'user said goodbye' } } },
              { say: 'Goodbye!' },
            ],
          },
        ],
      })
      .node('tools', 'tools.router', { tools: ['end_session'] })
      .link('user', 'agent')
      .link('agent.toolCalls', 'tools.calls')
      .feedback('tools.results', 'agent.toolResults')
      .build()
      .start({ emitFrames: true });
    const events: BusEvent[] = [];
    pipeline.events$.subscribe((e) => events.push(e));
    await pipeline.done;
    const texts = framesOf(events).flatMap((f) =>
      f.frame.kind === 'transcript' && f.frame.final ? [f.frame.text] : [],
    );
    expect(texts).toEqual(['Goodbye!']);
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'pipeline-state', state: 'stopped' });
  });

  it('is one trace: pipeline → node → provider.session → beluga.turn → provider.response → tool.execute', async () => {
    const exporter = new InMemorySpanExporter();
    const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('test');
    await calculatorRoundTrip().start({ tracer }).done;

    const spans = exporter.getFinishedSpans();
    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(1);
    const tool = spans.find((s) => s.name === 'tool.execute') as ReadableSpan;
    const session = ['provider.session', 'beluga.node', 'beluga.pipeline'];
    expect(ancestry(tool, spans)).toEqual(['tool.execute', 'provider.response', 'beluga.turn', ...session]);
    const responses = spans.filter((s) => s.name === 'provider.response');
    expect(responses.map((r) => ancestry(r, spans))).toEqual([
      ['provider.response', 'beluga.turn', ...session],
      ['provider.response', 'beluga.turn', ...session],
    ]);
    const sessionSpan = spans.find((s) => s.name === 'provider.session') as ReadableSpan;
    const agentNode = spans.find((s) => s.spanContext().spanId === sessionSpan.parentSpanContext?.spanId);
    expect(agentNode?.attributes['beluga.node.id']).toBe('agent');
  });
});
