import { S2SError } from '@beluga-voice/core';
import { SessionProbe } from '@beluga-voice/core/testing';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { GeminiLiveProvider } from '../src/index.js';
import { type GeminiMockServer, startGeminiMockServer } from '../src/mock/index.js';

const KEY = 'AIza-telemetry-secret-0123456789';
let server: GeminiMockServer;
afterEach(() => server.close());

describe('provider.gemini-live: telemetry and secrets', () => {
  it('records start, response and tool spans and first-audio and token metrics, never the key or tool arguments', async () => {
    server = await startGeminiMockServer({ apiKey: KEY, script: { firstAudioLatencyMs: 30 } });
    const spans = new InMemorySpanExporter();
    const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }).getTracer('test');
    const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter: metrics, exportIntervalMillis: 60_000 });
    const meter = new MeterProvider({ readers: [reader] }).getMeter('test');
    const provider = new GeminiLiveProvider({
      apiKey: KEY,
      baseUrl: server.url,
      voice: 'Kore',
      tools: [{ name: 'lookup_order', parameters: { type: 'object', properties: { order: { type: 'string' } } } }],
    });
    const session = await provider.startSession({}, { tracer, meter });
    const probe = new SessionProbe(session, 10_000);
    session.sendText('Order status?');
    const call = await probe.waitFor('tool call', (e) => e.type === 'tool-call');
    if (call.type !== 'tool-call') throw new Error('unreachable');
    session.sendToolResult({ id: call.id, output: '{"status":"shipped"}' });
    await probe.waitFor('answer', (e) => e.type === 'response-done' && e.responseId !== call.responseId);
    await session.close();
    probe.dispose();
    await reader.forceFlush();

    const byName = (name: string) => spans.getFinishedSpans().filter((s) => s.name === name);
    expect(byName('gemini_live.start')[0].attributes).toEqual({
      model: 'gemini-live-2.5-flash-preview',
      voice: 'Kore',
      'gemini_live.session_id': session.id,
    });
    expect(byName('gemini_live.response').map((s) => s.attributes['gemini_live.status'])).toEqual([
      'completed',
      'completed',
    ]);
    expect(byName('gemini_live.tool_call')[0].attributes).toEqual({
      'gemini_live.call_id': call.id,
      'tool.name': 'lookup_order',
    });
    const first = byName('gemini_live.response')[1].attributes['gemini_live.time_to_first_audio_ms'] as number;
    expect(first).toBeGreaterThanOrEqual(25);
    const exported = metrics.getMetrics().flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics));
    expect(exported.map((m) => m.descriptor.name).sort()).toEqual([
      'gemini_live.time_to_first_audio',
      'gemini_live.tokens',
    ]);
    const everything = JSON.stringify([spans.getFinishedSpans().map((s) => s.attributes), exported, probe.events]);
    expect(everything).not.toContain(KEY);
    expect(everything).not.toContain('A-1');
  });

  it('a wrong key fails start with a fatal auth error that names the fix, not the key', async () => {
    server = await startGeminiMockServer({ apiKey: 'AIza-the-right-one' });
    const logs: string[] = [];
    const log = (m: string) => logs.push(m);
    const provider = new GeminiLiveProvider({ apiKey: KEY, baseUrl: server.url });
    const error = await provider
      .startSession({}, { logger: { debug: log, info: log, warn: log, error: log } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(S2SError);
    expect([(error as S2SError).code, (error as S2SError).fatal, (error as S2SError).message]).toEqual([
      'auth',
      true,
      'provider.gemini-live: authentication failed (close 1008): API key not valid. Please pass a valid API key.',
    ]);
    expect(server.connectionCount).toBe(1);
    expect(JSON.stringify(provider)).toContain('"apiKey":"[redacted]"');
    expect(JSON.stringify([provider, logs, String(error)])).not.toContain(KEY);
  });
});
