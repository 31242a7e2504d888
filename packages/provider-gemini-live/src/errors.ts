import { messageLimitText, redact, S2SError } from '@beluga-voice/core';

export const WHO = 'provider.gemini-live';

/** What a closed socket means: end the session with an error, or resume on a new socket. */
export type CloseOutcome = { readonly kind: 'fatal' | 'resume'; readonly error: S2SError };

/**
 * The service reports setup and quota failures by closing the socket with a status and a reason
 * (1007/1008 for a bad key or request, 1011 for quota and internal errors); a drop without a close
 * frame (1006) or a server restart (1001, 1012-1014) can be resumed. A 1009 is this client refusing
 * a message above `maxMessageBytes`.
 */
export function outcomeOfClose(code: number, rawReason: string, maxMessageBytes: number): CloseOutcome {
  const reason = redact(rawReason);
  const said = reason ? `: ${reason}` : '';
  if (/api key|permission|unauthenticated|PERMISSION_DENIED/i.test(reason) || code === 4001 || code === 4003) {
    return {
      kind: 'fatal',
      error: new S2SError('auth', `${WHO}: authentication failed (close ${code})${said}`, { fatal: true }),
    };
  }
  if (/quota|exhausted|rate limit|RESOURCE_EXHAUSTED/i.test(reason) || code === 4029) {
    return {
      kind: 'fatal',
      error: new S2SError('rate-limit', `${WHO}: rate limited (close ${code})${said}`, { fatal: true }),
    };
  }
  if (code === 1007 || code === 1008) {
    return {
      kind: 'fatal',
      error: new S2SError('invalid-request', `${WHO}: the service refused the request (close ${code})${said}`, {
        fatal: true,
      }),
    };
  }
  if (code === 1011) {
    return {
      kind: 'fatal',
      error: new S2SError('server', `${WHO}: server error (close ${code})${said}`, { fatal: true }),
    };
  }
  if (code === 1009) {
    const text = `${WHO}: the service sent a message larger than the ${messageLimitText(maxMessageBytes)} limit; it was refused and the connection closed (close 1009)`;
    return { kind: 'resume', error: new S2SError('connection', text) };
  }
  return { kind: 'resume', error: new S2SError('connection', `${WHO}: connection lost (close ${code})${said}`) };
}

export function asS2SError(error: unknown): S2SError {
  if (error instanceof S2SError) return error;
  return new S2SError('connection', `${WHO}: ${redact(error instanceof Error ? error.message : String(error))}`, {
    cause: error,
  });
}
