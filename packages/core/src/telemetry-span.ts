import { type Span, SpanStatusCode } from '@opentelemetry/api';

/** Ends a span, marking it failed with `error` when one is given. */
export function endSpan(span: Span, error?: string): void {
  if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: error });
  span.end();
}
