import type { Json, ResponseRun } from './items.js';

/** Input tokens the mock charges per conversation item. */
const TOKENS_PER_ITEM = 20;

/** The `usage` of a finished response: nothing for a failed one. */
export function responseUsage(run: ResponseRun, itemCount: number): Json & { total_tokens: number } {
  if (run.status === 'failed') return { total_tokens: 0, input_tokens: 0, output_tokens: 0 };
  const inputTokens = TOKENS_PER_ITEM * itemCount;
  return {
    total_tokens: inputTokens + run.outputTokens,
    input_tokens: inputTokens,
    output_tokens: run.outputTokens,
    input_token_details: { text_tokens: inputTokens, audio_tokens: 0, image_tokens: 0, cached_tokens: 0 },
    output_token_details: { text_tokens: 0, audio_tokens: run.outputTokens },
  };
}

/** `rate_limits.updated` after a response: a rate-limited one leaves no requests for a second. */
export function rateLimitsEvent(run: ResponseRun, usage: { total_tokens: number }): Json {
  const rateLimited = run.status === 'failed';
  return {
    type: 'rate_limits.updated',
    rate_limits: [
      { name: 'requests', limit: 5000, remaining: rateLimited ? 0 : 4999, reset_seconds: rateLimited ? 1 : 0.012 },
      { name: 'tokens', limit: 40000, remaining: Math.max(0, 40000 - usage.total_tokens), reset_seconds: 0.2 },
    ],
  };
}
