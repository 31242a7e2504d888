import { type Context, type ContextManager, context, ROOT_CONTEXT, SpanStatusCode, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { EMPTY } from 'rxjs';
import { afterAll, expect, test } from 'vitest';
import { z } from 'zod';
import { defineNode } from '../src/node.js';
import { redactingTracer } from '../src/redacting-tracer.js';
import { registerSecret } from '../src/secrets.js';
import { runNode } from '../src/testing/index.js';

const SECRET = 'opaque-span-credential-5150';
registerSecret(SECRET);

function tracerWithExporter() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { exporter, tracer: redactingTracer(provider.getTracer('test')) };
}

test('every attribute path of a span is redacted: start options, attributes, events, links, status, name, exceptions', () => {
  const { exporter, tracer } = tracerWithExporter();
  const other = tracer.startSpan('other');
  const span = tracer.startSpan(`call ${SECRET}`, {
    attributes: { 'start.attr': `k=${SECRET}`, list: ['a', SECRET], n: 3 },
    links: [{ context: other.spanContext(), attributes: { why: SECRET } }],
  });
  span.setAttribute('one', `x ${SECRET}`);
  span.setAttributes({ many: SECRET, also: [SECRET] });
  span.addEvent(`event ${SECRET}`, { detail: SECRET });
  span.addEvent('timed', 1_700_000_000_000);
  span.addLink({ context: other.spanContext(), attributes: { later: SECRET } });
  span.recordException(new Error(`rejected ${SECRET}`));
  span.recordException(`plain ${SECRET}`);
  span.setStatus({ code: SpanStatusCode.ERROR, message: `failed with ${SECRET}` });
  span.updateName(`renamed ${SECRET}`);
  span.end();
  other.end();
  const [recorded] = exporter.getFinishedSpans().filter((s) => s.name !== 'other');
  expect(JSON.stringify(recorded.attributes)).not.toContain(SECRET);
  expect(recorded.name).toBe('renamed [redacted]');
  expect(recorded.attributes).toEqual({
    'start.attr': 'k=[redacted]',
    list: ['a', '[redacted]'],
    n: 3,
    one: 'x [redacted]',
    many: '[redacted]',
    also: ['[redacted]'],
  });
  expect(recorded.events.map((e) => [e.name, e.attributes])).toEqual([
    ['event [redacted]', { detail: '[redacted]' }],
    ['timed', {}],
    ['exception', expect.objectContaining({ 'exception.message': 'rejected [redacted]', 'exception.type': 'Error' })],
    ['exception', { 'exception.message': 'plain [redacted]' }],
  ]);
  expect(JSON.stringify(recorded.events)).not.toContain(SECRET);
  expect(recorded.links.map((l) => l.attributes)).toEqual([{ why: '[redacted]' }, { later: '[redacted]' }]);
  expect(recorded.status).toEqual({ code: SpanStatusCode.ERROR, message: 'failed with [redacted]' });
});

/** Synchronous context propagation, enough for `startActiveSpan` callbacks. */
class StackContextManager implements ContextManager {
  private readonly stack: Context[] = [];
  active(): Context {
    return this.stack.at(-1) ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    this.stack.push(ctx);
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.stack.pop();
    }
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    return this;
  }
}
context.setGlobalContextManager(new StackContextManager());
afterAll(() => context.disable());

test('an active span is the redacting one, so code reading the active span cannot bypass redaction', () => {
  const { exporter, tracer } = tracerWithExporter();
  const result = tracer.startActiveSpan('outer', { attributes: { a: SECRET } }, (span) => {
    trace.getActiveSpan()?.setAttribute('via.active', SECRET);
    const child = tracer.startSpan('child', {}, context.active());
    child.end();
    span.end();
    return 42;
  });
  expect(result).toBe(42);
  const [child, outer] = exporter.getFinishedSpans();
  expect(outer.attributes).toEqual({ a: '[redacted]', 'via.active': '[redacted]' });
  expect(child.parentSpanContext?.spanId).toBe(outer.spanContext().spanId);
  expect(redactingTracer(tracer)).toBe(tracer);
});

test('log data is redacted at any depth, an Error in it included', async () => {
  const chatty = defineNode({
    type: 'test.chatty',
    summary: 'Logs the secret it holds',
    config: z.object({}).strict(),
    inputs: {},
    outputs: { out: { kinds: ['text'] } },
    create(_config, ctx) {
      ctx.logger.warn(`using ${SECRET}`, {
        nested: { list: [SECRET] },
        error: new Error(`refused ${SECRET}`),
      });
      return () => ({ out: EMPTY });
    },
  });
  const harness = await runNode(chatty, { config: {} });
  expect(harness.events.filter((e) => e.type === 'log')).toMatchObject([
    {
      level: 'warn',
      message: 'using [redacted]',
      data: { nested: { list: ['[redacted]'] }, error: { name: 'Error', message: 'refused [redacted]' } },
    },
  ]);
  expect(JSON.stringify(harness.events)).not.toContain(SECRET);
});
