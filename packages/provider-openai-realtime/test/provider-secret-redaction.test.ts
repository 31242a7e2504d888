import { inspect } from 'node:util';
import type { Logger, S2SEvent } from '@beluga-voice/core';
import { runNode } from '@beluga-voice/core/testing';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAIRealtimeProvider, openaiRealtimeNode } from '../src/index.js';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { until } from './support/fixtures.js';
import { record } from './support/session.js';

/** Not `sk-`-shaped: only registration (not the key pattern) can hide it. */
const KEY = 'beluga-secret-key-zq7x9w2v4u6t8s0r';
const ORDER_TOOL = {
  name: 'lookup_order',
  description: 'Looks up an order',
  parameters: { type: 'object', properties: { order: { type: 'string' } }, required: ['order'] },
};

function capturingLogger(into: string[]): Logger {
  const push = (level: string) => (message: string, data?: Record<string, unknown>) =>
    into.push(`${level} ${message} ${JSON.stringify(data ?? {})}`);
  return { debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}

function nonAudio(events: readonly S2SEvent[]): unknown[] {
  return events
    .filter((e) => e.type !== 'audio')
    .map((e) => (e.type === 'error' ? { ...e, message: e.error.message, stack: e.error.stack } : e));
}

describe('provider.openai-realtime: the API key never leaks', () => {
  let server: MockServer;
  afterEach(() => server.close());

  it('is absent from logs, errors, spans, events and snapshots through a whole session', async () => {
    server = await startMockServer({ apiKey: KEY, script: { chunkIntervalMs: 5 } });
    const exporter = new InMemorySpanExporter();
    const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('test');
    const logs: string[] = [];
    const provider = new OpenAIRealtimeProvider({
      apiKey: KEY,
      baseUrl: server.baseUrl,
      tools: [ORDER_TOOL],
      toolChoice: 'required',
      temperature: 0.9,
      reconnect: { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 10, jitter: 0 },
    });
    const session = await provider.startSession({}, { tracer, logger: capturingLogger(logs) });
    const rec = record(session);
    session.sendText('Where is order A-1?');
    const call = await rec.waitFor('tool-call');
    session.sendToolResult({ id: call.id, output: '{"status":"shipped"}' });
    await rec.waitFor('response-start', 2);
    session.interrupt({ playedMs: 10 });
    await rec.waitFor('response-done', 2);
    server.injectFault({ type: 'malformed' });
    server.injectFault({ type: 'drop', during: 'now' });
    await rec.waitFor('reconnected');
    await session.close();

    const wrong = new OpenAIRealtimeProvider({ apiKey: `${KEY}-wrong`, baseUrl: server.baseUrl });
    const authError = await wrong.startSession({}, { tracer, logger: capturingLogger(logs) }).catch((e: Error) => e);
    expect(authError).toBeInstanceOf(Error);

    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual(
      expect.arrayContaining(['openai_realtime.start', 'openai_realtime.response', 'openai_realtime.tool_call']),
    );
    const start = spans.find((s) => s.name === 'openai_realtime.start');
    expect(start?.attributes).toMatchObject({ model: 'gpt-realtime', voice: 'alloy' });
    expect(logs.some((l) => l.includes('temperature 0.9 ignored'))).toBe(true);
    expect(logs.some((l) => l.startsWith('warn malformed server event'))).toBe(true);
    expect(logs.some((l) => l.startsWith('debug unknown server event "mock.unknown_event"'))).toBe(true);

    const everything = JSON.stringify({
      logs,
      spans: spans.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status })),
      events: nonAudio(rec.events),
      authError: { message: (authError as Error).message, stack: (authError as Error).stack },
      provider: JSON.parse(JSON.stringify(provider)),
      inspected: inspect(provider, { depth: 10 }),
      session: inspect(session, { depth: 3 }),
    });
    expect(everything).not.toContain(KEY);
    expect(everything).toContain('[redacted]');
  });

  it('is absent from the bus of the node, whose spec marks apiKey as a secret', async () => {
    server = await startMockServer({ apiKey: 'sk-the-right-one-0123456789' });
    expect(openaiRealtimeNode.secrets).toEqual(['apiKey']);
    const harness = await runNode(openaiRealtimeNode, {
      id: 'agent',
      config: { apiKey: KEY, baseUrl: server.baseUrl },
    });
    const sub = harness.outputs.audio!.subscribe({ error: () => undefined });
    await until(() => harness.events.some((e) => e.type === 'error'), 5000, 'the auth error on the bus');
    const error = harness.events.find((e) => e.type === 'error');
    expect(error).toMatchObject({ fatal: true });
    expect((error as { message: string }).message).toContain('authentication failed');
    expect(JSON.stringify(harness.events)).not.toContain(KEY);
    sub.unsubscribe();
    await harness.close();
  });
});
