import { type Counter, type Span, SpanStatusCode } from '@opentelemetry/api';
import type { TokenUsage } from './frames.js';

/** Ends a span, marking it failed with `error` when one is given. */
export function endSpan(span: Span, error?: string): void {
  if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: error });
  span.end();
}

/**
 * A response's tokens: counted on `tokens` by direction (with its `model`) and set on the
 * response's span as `<prefix>.input_tokens` and `<prefix>.output_tokens`.
 */
export function recordTokenUsage(tokens: Counter, span: Span, prefix: string, model: string, usage: TokenUsage): void {
  tokens.add(usage.inputTokens, { model, direction: 'input' });
  tokens.add(usage.outputTokens, { model, direction: 'output' });
  span.setAttributes({
    [`${prefix}.input_tokens`]: usage.inputTokens,
    [`${prefix}.output_tokens`]: usage.outputTokens,
  });
}
