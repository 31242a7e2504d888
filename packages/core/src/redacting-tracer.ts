import {
  type Attributes,
  type AttributeValue,
  type Context,
  context,
  type Exception,
  type Link,
  type Span,
  type SpanOptions,
  type SpanStatus,
  type TimeInput,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { redact } from './secrets.js';

/**
 * A tracer whose spans pass every name, attribute, event, link, status message and exception
 * through `redact`, so no code path that records telemetry can export a key in clear (a tool
 * result recorded with `recordArguments`, an error message, a model's echo of a prompt).
 */
export function redactingTracer(inner: Tracer): Tracer {
  if (inner instanceof RedactingTracer) return inner;
  return new RedactingTracer(inner);
}

class RedactingTracer implements Tracer {
  constructor(private readonly inner: Tracer) {}

  startSpan(name: string, options?: SpanOptions, parent?: Context): Span {
    return new RedactingSpan(this.inner.startSpan(redact(name), options && redactOptions(options), parent));
  }

  // Started here, not by the inner tracer, so the active context holds the redacting span.
  startActiveSpan<F extends (span: Span) => unknown>(name: string, ...rest: unknown[]): ReturnType<F> {
    const fn = rest.pop() as F;
    const [options, parent] = rest as [SpanOptions | undefined, Context | undefined];
    const base = parent ?? context.active();
    const span = this.startSpan(name, options, base);
    return context.with(trace.setSpan(base, span), fn as (span: Span) => ReturnType<F>, undefined, span);
  }
}

class RedactingSpan implements Span {
  constructor(private readonly inner: Span) {}

  spanContext() {
    return this.inner.spanContext();
  }
  setAttribute(key: string, value: AttributeValue): this {
    this.inner.setAttribute(key, redactValue(value));
    return this;
  }
  setAttributes(attributes: Attributes): this {
    this.inner.setAttributes(redactAttributes(attributes));
    return this;
  }
  addEvent(name: string, attributesOrStartTime?: Attributes | TimeInput, startTime?: TimeInput): this {
    const isTime =
      typeof attributesOrStartTime === 'number' ||
      attributesOrStartTime instanceof Date ||
      Array.isArray(attributesOrStartTime);
    const second =
      attributesOrStartTime && !isTime ? redactAttributes(attributesOrStartTime as Attributes) : attributesOrStartTime;
    this.inner.addEvent(redact(name), second, startTime);
    return this;
  }
  addLink(link: Link): this {
    this.inner.addLink(redactLink(link));
    return this;
  }
  addLinks(links: Link[]): this {
    this.inner.addLinks(links.map(redactLink));
    return this;
  }
  setStatus(status: SpanStatus): this {
    this.inner.setStatus(status.message === undefined ? status : { ...status, message: redact(status.message) });
    return this;
  }
  updateName(name: string): this {
    this.inner.updateName(redact(name));
    return this;
  }
  end(endTime?: TimeInput): void {
    this.inner.end(endTime);
  }
  isRecording(): boolean {
    return this.inner.isRecording();
  }
  recordException(exception: Exception, time?: TimeInput): void {
    this.inner.recordException(redactException(exception), time);
  }
}

function redactValue(value: AttributeValue): AttributeValue {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? redact(v) : v)) as AttributeValue;
  return value;
}

function redactAttributes(attributes: Attributes): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) out[key] = value === undefined ? value : redactValue(value);
  return out;
}

function redactLink(link: Link): Link {
  return link.attributes ? { ...link, attributes: redactAttributes(link.attributes) } : link;
}

function redactOptions(options: SpanOptions): SpanOptions {
  return {
    ...options,
    ...(options.attributes ? { attributes: redactAttributes(options.attributes) } : {}),
    ...(options.links ? { links: options.links.map(redactLink) } : {}),
  };
}

/** The SDK reads `message`, `name`, `code` and `stack`; an Error's own fields are not enumerable. */
function redactException(exception: Exception): Exception {
  if (typeof exception === 'string') return redact(exception);
  const { code, message, name, stack } = exception;
  return {
    ...(code !== undefined ? { code: typeof code === 'string' ? redact(code) : code } : {}),
    ...(message !== undefined ? { message: redact(message) } : {}),
    ...(name !== undefined ? { name: redact(name) } : {}),
    ...(stack !== undefined ? { stack: redact(stack) } : {}),
  } as Exception;
}
