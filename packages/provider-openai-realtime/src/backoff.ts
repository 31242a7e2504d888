import type { ReconnectPolicy } from './config.js';

/**
 * Delay before reconnection attempt `attempt` (1-based): exponential from `initialDelayMs`,
 * capped at `maxDelayMs`, spread by ±`jitter` so that many clients do not retry in lockstep.
 */
export function backoffDelay(policy: ReconnectPolicy, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, attempt - 1));
  const spread = base * policy.jitter * (2 * random() - 1);
  return Math.max(0, Math.round(base + spread));
}
