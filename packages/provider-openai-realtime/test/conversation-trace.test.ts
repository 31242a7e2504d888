import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { fixturePath, sinkLog, voicePipeline } from './support/conversation-pipeline.js';

const KEY = 'sk-conversation-trace-0123456789';

/** The span names from `span` up to the root. */
function ancestry(span: ReadableSpan, all: readonly ReadableSpan[]): string[] {
  const chain = [span.name];
  for (let parent = span.parentSpanContext?.spanId; parent; ) {
    const next = all.find((s) => s.spanContext().spanId === parent);
    chain.push(next?.name ?? `<missing ${parent}>`);
    parent = next?.parentSpanContext?.spanId;
  }
  return chain;
}

describe('a spoken conversation with a tool call through provider.openai-realtime is one trace', () => {
  let mock: MockServer;
  afterEach(() => mock.close());

  it('nests the openai_realtime.* spans under provider.session and the tool call under its response', async () => {
    mock = await startMockServer({
      apiKey: KEY,
      script: {
        replies: [{ functionCall: { name: 'calculator', arguments: { expression: '6 * 7' } } }, { text: 'It is 42.' }],
      },
    });
    const exporter = new InMemorySpanExporter();
    const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('test');
    const pipeline = voicePipeline('traced-call', {
      input: fixturePath('single-utterance-16k.wav'),
      agent: { apiKey: KEY, baseUrl: mock.baseUrl, inputTranscription: false },
      log: sinkLog(),
    })
      .node('tools', 'tools.router', { tools: ['calculator'] })
      .link('agent.toolCalls', 'tools.calls')
      .feedback('tools.results', 'agent.toolResults')
      .build()
      .start({ tracer, metricsIntervalMs: 0 });
    await pipeline.done;

    const spans = exporter.getFinishedSpans();
    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(1);
    const root = ['provider.session', 'beluga.node', 'beluga.pipeline'];
    const named = (name: string) => spans.filter((s) => s.name === name).map((s) => ancestry(s, spans));
    expect(named('tool.execute')).toEqual([['tool.execute', 'provider.response', 'beluga.turn', ...root]]);
    expect(named('provider.response')).toEqual([
      ['provider.response', 'beluga.turn', ...root],
      ['provider.response', 'beluga.turn', ...root],
    ]);
    expect(named('openai_realtime.start')).toEqual([['openai_realtime.start', ...root]]);
    expect(named('openai_realtime.response')).toEqual([
      ['openai_realtime.response', ...root],
      ['openai_realtime.response', ...root],
    ]);
    expect(named('openai_realtime.tool_call')).toEqual([
      ['openai_realtime.tool_call', 'openai_realtime.response', ...root],
    ]);
  });
});
