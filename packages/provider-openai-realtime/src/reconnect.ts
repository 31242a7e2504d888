import { redact, S2SError } from '@beluga-voice/core';
import { backoffDelay } from './backoff.js';
import type { ReconnectPolicy } from './config.js';

const WHO = 'provider.openai-realtime';

/** What the retry loop needs from the session. */
export interface ConnectAttempts {
  readonly policy: ReconnectPolicy;
  readonly random: () => number;
  /** Waits on the session's scheduler; cut short when the session closes. */
  delay(ms: number): Promise<void>;
  /** Sets a session up on a new socket (the establish step). */
  establish(): Promise<void>;
  /** Drops the socket of a failed attempt. */
  discard(): void;
  /** False once the session closed: the loop stops without another attempt. */
  wanted(): boolean;
  warn(message: string): void;
}

export type AttemptsOutcome =
  | { readonly kind: 'connected'; readonly attempt: number }
  | { readonly kind: 'stopped'; readonly error: S2SError }
  | { readonly kind: 'failed'; readonly error: S2SError };

/**
 * Tries to set a session up until one attempt succeeds, an error is fatal (auth, refused
 * settings) or `policy.maxAttempts` retries have failed. `waitFirst` backs off before the first
 * attempt too (a reconnection; the first connection tries at once). Never rejects.
 */
export async function connectWithRetries(steps: ConnectAttempts, waitFirst: boolean): Promise<AttemptsOutcome> {
  const { policy } = steps;
  let last: S2SError | undefined;
  for (let attempt = waitFirst ? 1 : 0; attempt <= policy.maxAttempts; attempt++) {
    if (attempt > 0) await steps.delay(backoffDelay(policy, attempt, steps.random));
    if (!steps.wanted()) return { kind: 'stopped', error: last ?? closedWhileConnecting() };
    try {
      await steps.establish();
      return { kind: 'connected', attempt };
    } catch (error) {
      const e = asS2SError(error);
      steps.discard();
      if (!steps.wanted()) return { kind: 'stopped', error: e };
      if (e.fatal) return { kind: 'failed', error: e };
      last = e;
      if (attempt < policy.maxAttempts) {
        steps.warn(`${waitFirst ? `reconnection attempt ${attempt} failed: ` : ''}${e.message}; retrying`);
      }
    }
  }
  return { kind: 'failed', error: last ?? closedWhileConnecting() };
}

export function asS2SError(error: unknown): S2SError {
  if (error instanceof S2SError) return error;
  return new S2SError('connection', `${WHO}: ${redact(error instanceof Error ? error.message : String(error))}`, {
    cause: error,
  });
}

function closedWhileConnecting(): S2SError {
  return new S2SError('closed', `${WHO}: session closed while connecting`);
}
