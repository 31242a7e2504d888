import { GraphBuilder, Registry } from '@beluga-voice/core';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { probe, testNodes } from './support/test-nodes.js';

describe('OpenTelemetry spans and metrics', () => {
  it('records a pipeline span, a span per node, and queue drops as a counter', async () => {
    const spans = new InMemorySpanExporter();
    const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }).getTracer('test');
    const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 60_000 });
    const meter = new MeterProvider({ readers: [reader] }).getMeter('test');

    const ts = new TestScheduler(() => {});
    probe('otel');
    const pipeline = new GraphBuilder(new Registry(testNodes), 'otel-demo')
      .node('src', 'test.source', { probe: 'otel', count: 8, everyMs: 10 })
      .node('sink', 'test.sink', { probe: 'otel', busyMs: 30 })
      .link('src', 'sink', { queue: { max: 2, overflow: 'drop-oldest' } })
      .build()
      .start({ scheduler: ts, tracer, meter, metricsIntervalMs: 0 });
    await pipeline.started;
    ts.flush();
    await pipeline.done;

    const finished = spans.getFinishedSpans();
    const pipelineSpan = finished.find((s) => s.name === 'beluga.pipeline');
    expect(pipelineSpan?.attributes).toEqual({ 'beluga.pipeline.name': 'otel-demo', 'beluga.pipeline.nodes': 2 });
    const nodeSpans = finished.filter((s) => s.name === 'beluga.node');
    expect(nodeSpans.map((s) => s.attributes['beluga.node.id']).sort()).toEqual(['sink', 'src']);
    expect(nodeSpans.every((s) => s.parentSpanContext?.spanId === pipelineSpan?.spanContext().spanId)).toBe(true);

    await reader.forceFlush();
    const all = metricExporter.getMetrics().flatMap((m) => m.scopeMetrics.flatMap((s) => s.metrics));
    const drops = all.find((m) => m.descriptor.name === 'beluga.queue.drops');
    expect(drops?.dataPoints.map((d) => [d.attributes.link, d.value])).toEqual([['src.audio->sink.audio', 3]]);
    const droppedMs = all.find((m) => m.descriptor.name === 'beluga.queue.dropped_ms');
    expect(droppedMs?.dataPoints.map((d) => [d.attributes.link, d.value])).toEqual([['src.audio->sink.audio', 30]]);
    await reader.shutdown();
  });
});
