import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAIRealtimeProvider } from '../src/index.js';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { record } from './support/session.js';

const KEY = 'sk-telemetry-0123456789abcdef';

describe('provider.openai-realtime: OpenTelemetry', () => {
  let server: MockServer;
  afterEach(() => server.close());

  it('records spans for the start, each response and each tool call, and metrics for time to first audio and tokens', async () => {
    server = await startMockServer({ apiKey: KEY, script: { firstAudioLatencyMs: 30 } });
    const spans = new InMemorySpanExporter();
    const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }).getTracer('test');
    const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter: metrics, exportIntervalMillis: 60_000 });
    const meter = new MeterProvider({ readers: [reader] }).getMeter('test');
    const provider = new OpenAIRealtimeProvider({
      apiKey: KEY,
      baseUrl: server.baseUrl,
      voice: 'coral',
      tools: [
        {
          name: 'lookup_order',
          description: 'Looks up an order',
          parameters: { type: 'object', properties: {}, required: [] },
        },
      ],
      toolChoice: { type: 'function', name: 'lookup_order' },
    });
    const session = await provider.startSession({}, { tracer, meter });
    const rec = record(session);
    session.sendText('Order status?');
    const call = await rec.waitFor('tool-call');
    session.sendToolResult({ id: call.id, output: '{"status":"shipped"}' });
    const done = await rec.waitFor('response-done', 2);
    await session.close();
    await reader.forceFlush();

    const byName = (name: string) => spans.getFinishedSpans().filter((s) => s.name === name);
    expect(byName('openai_realtime.start')[0].attributes).toMatchObject({
      model: 'gpt-realtime',
      voice: 'coral',
      'openai_realtime.protocol': 'ga',
    });
    const responses = byName('openai_realtime.response');
    expect(responses).toHaveLength(2);
    expect(responses[1].attributes).toMatchObject({
      'openai_realtime.response_id': done.responseId,
      'openai_realtime.status': 'completed',
      'openai_realtime.output_tokens': done.usage?.outputTokens,
    });
    expect(responses[1].attributes['openai_realtime.time_to_first_audio_ms']).toBeGreaterThanOrEqual(25);
    const tool = byName('openai_realtime.tool_call');
    expect(tool).toHaveLength(1);
    expect(tool[0].attributes).toEqual({ 'openai_realtime.call_id': call.id, 'tool.name': 'lookup_order' });

    const exported = metrics.getMetrics().flatMap((m) => m.scopeMetrics.flatMap((s) => s.metrics));
    const ttfa = exported.find((m) => m.descriptor.name === 'openai_realtime.time_to_first_audio');
    expect(ttfa?.descriptor.unit).toBe('ms');
    const histogram = ttfa?.dataPoints[0]?.value as { count: number; min: number };
    expect(histogram.count).toBe(1);
    expect(histogram.min).toBeGreaterThanOrEqual(25);
    const tokens = exported.find((m) => m.descriptor.name === 'openai_realtime.tokens');
    const output = tokens?.dataPoints.find((p) => p.attributes.direction === 'output');
    const first = rec.of('response-done')[0].usage?.outputTokens ?? 0;
    expect(output?.value).toBe(first + (done.usage?.outputTokens ?? 0));
  });

  it('parents every openai_realtime.* span on the session context it is given, tool calls on their response', async () => {
    server = await startMockServer({ apiKey: KEY });
    const spans = new InMemorySpanExporter();
    const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }).getTracer('test');
    const sessionSpan = tracer.startSpan('provider.session');
    const provider = new OpenAIRealtimeProvider({
      apiKey: KEY,
      baseUrl: server.baseUrl,
      tools: [{ name: 'lookup_order', description: 'Looks up an order', parameters: { type: 'object' } }],
      toolChoice: { type: 'function', name: 'lookup_order' },
    });
    const session = await provider.startSession({}, { tracer, traceContext: trace.setSpan(ROOT_CONTEXT, sessionSpan) });
    const rec = record(session);
    session.sendText('Order status?');
    const call = await rec.waitFor('tool-call');
    session.sendToolResult({ id: call.id, output: '{"status":"shipped"}' });
    await rec.waitFor('response-done', 2);
    await session.close();
    sessionSpan.end();

    const finished = spans.getFinishedSpans();
    const traceId = sessionSpan.spanContext().traceId;
    expect(finished.every((s) => s.spanContext().traceId === traceId)).toBe(true);
    const parentName = (name: string) =>
      finished
        .filter((s) => s.name === name)
        .map((s) => finished.find((p) => p.spanContext().spanId === s.parentSpanContext?.spanId)?.name);
    expect(parentName('openai_realtime.start')).toEqual(['provider.session']);
    expect(parentName('openai_realtime.response')).toEqual(['provider.session', 'provider.session']);
    expect(parentName('openai_realtime.tool_call')).toEqual(['openai_realtime.response']);
    const [toolCall] = finished.filter((s) => s.name === 'openai_realtime.tool_call');
    const firstResponse = finished.find((s) => s.name === 'openai_realtime.response');
    expect(toolCall?.parentSpanContext?.spanId).toBe(firstResponse?.spanContext().spanId);
  });
});
