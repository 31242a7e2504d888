import { registerSecret } from '@beluga-voice/core';
import { runNode } from '@beluga-voice/core/testing';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, toolRouterNode } from '../src/index.js';
import { toolCall } from './support.js';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
trace.setGlobalTracerProvider(provider);

afterAll(async () => {
  await provider.shutdown();
  trace.disable();
});
beforeEach(() => exporter.reset());

const lookup = defineTool({
  name: 'lookup_customer',
  description: 'Finds a customer by phone number',
  parameters: z.object({ phone: z.string() }),
  execute: ({ phone }) => `customer with phone ${phone}: Ada Lovelace`,
});

const audited = defineTool({ ...lookup, name: 'audited_lookup', recordArguments: true });

async function run(...calls: ReturnType<typeof toolCall>[]) {
  const harness = await runNode(toolRouterNode, {
    config: { tools: [lookup, audited, 'calculator'] },
    inputs: { calls },
  });
  await harness.collect('results');
  return exporter.getFinishedSpans();
}

describe('tool.execute spans', () => {
  it('record the tool name, call id, duration and status, but not arguments or results by default', async () => {
    const [span] = await run(toolCall('c1', 'lookup_customer', { phone: '+44 20 7946 0000' }));
    expect(span.name).toBe('tool.execute');
    expect(span.attributes).toEqual({
      'tool.name': 'lookup_customer',
      'tool.call_id': 'c1',
      'tool.duration_ms': expect.any(Number),
      'tool.status': 'ok',
    });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(JSON.stringify(span.attributes)).not.toContain('7946');
    expect(JSON.stringify(span.events)).not.toContain('7946');
  });

  it('record arguments and results when the tool opts in', async () => {
    const [span] = await run(toolCall('c2', 'audited_lookup', { phone: '555-0100' }));
    expect(span.attributes).toMatchObject({
      'tool.name': 'audited_lookup',
      'tool.arguments': '{"phone":"555-0100"}',
      'tool.result': 'customer with phone 555-0100: Ada Lovelace',
    });
  });

  it('mark failed calls as errors with their status', async () => {
    const spans = await run(toolCall('c3', 'calculator', { expression: '1/0' }), toolCall('c4', 'nope', {}));
    const outcomes = spans.map((s) => [s.attributes['tool.call_id'], s.attributes['tool.status'], s.status]);
    expect(outcomes.sort()).toEqual([
      ['c3', 'failed', { code: SpanStatusCode.ERROR, message: 'failed' }],
      ['c4', 'unknown-tool', { code: SpanStatusCode.ERROR, message: 'unknown-tool' }],
    ]);
    expect(JSON.stringify(spans.map((s) => s.attributes))).not.toContain('1/0');
  });

  it('redact secrets in recorded arguments and results', async () => {
    const secret = 'opaque-tool-credential-8086';
    registerSecret(secret);
    const [span] = await run(toolCall('c5', 'audited_lookup', { phone: secret }));
    expect(span.attributes).toMatchObject({
      'tool.arguments': '{"phone":"[redacted]"}',
      'tool.result': 'customer with phone [redacted]: Ada Lovelace',
    });
    expect(JSON.stringify([span.name, span.attributes, span.events, span.status])).not.toContain(secret);
  });
});
