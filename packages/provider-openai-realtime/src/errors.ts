import { messageLimitText, redact, S2SError } from '@beluga-voice/core';

const WHO = 'provider.openai-realtime';

export interface ServerErrorBody {
  readonly type: string;
  readonly code?: string | null;
  readonly message: string;
  readonly param?: string | null;
}

/** Error codes that only mean a race was lost (pitfalls 6 and 7): logged, not reported. */
export const BENIGN_ERROR_CODES: ReadonlySet<string> = new Set(['response_cancel_not_active']);

function describe(body: ServerErrorBody): string {
  const code = body.code ? ` (${body.code}${body.param ? `, ${body.param}` : ''})` : '';
  return `${redact(body.message)}${code}`;
}

/** Maps an `error` server event to the typed error the session reports. */
export function errorFromServerEvent(body: ServerErrorBody): S2SError {
  const code = body.code ?? '';
  if (code === 'invalid_api_key' || body.type === 'authentication_error') {
    return new S2SError(
      'auth',
      `${WHO}: authentication failed: ${describe(body)}; check the apiKey config or OPENAI_API_KEY`,
      { fatal: true },
    );
  }
  if (code === 'session_expired') {
    return new S2SError('session-expired', `${WHO}: session expired: ${describe(body)}; reconnecting`);
  }
  if (code === 'beta_api_shape_disabled') {
    return new S2SError(
      'invalid-request',
      `${WHO}: the service refused the beta protocol: ${describe(body)}; set protocol: ga`,
      { fatal: true },
    );
  }
  if (code.includes('rate_limit') || body.type.includes('rate_limit')) {
    return new S2SError('rate-limit', `${WHO}: rate limited: ${describe(body)}`);
  }
  if (body.type === 'server_error') {
    return new S2SError('server', `${WHO}: server error: ${describe(body)}`);
  }
  return new S2SError('invalid-request', `${WHO}: request rejected: ${describe(body)}`);
}

export type CloseOutcome =
  /** Reconnect (dropped socket, session expiry). */
  | { readonly kind: 'reconnect'; readonly error: S2SError }
  /** End the session with this fatal error. */
  | { readonly kind: 'fatal'; readonly error: S2SError };

/**
 * What a socket close with `code` means for the session (close codes of §6.2). A 1009 is this
 * client refusing a message above `maxMessageBytes`.
 */
export function outcomeOfClose(code: number, reason: string, maxMessageBytes: number): CloseOutcome {
  const why = reason ? `: ${redact(reason)}` : '';
  switch (code) {
    case 3000:
      return {
        kind: 'fatal',
        error: new S2SError(
          'auth',
          `${WHO}: authentication failed (close 3000${why}); check the apiKey config or OPENAI_API_KEY`,
          { fatal: true },
        ),
      };
    case 4000:
      return {
        kind: 'fatal',
        error: new S2SError(
          'invalid-request',
          `${WHO}: the service refused the beta protocol (close 4000${why}); set protocol: ga`,
          { fatal: true },
        ),
      };
    case 1009:
      return {
        kind: 'reconnect',
        error: new S2SError(
          'server',
          `${WHO}: the server sent a message larger than the ${messageLimitText(maxMessageBytes)} limit; it was refused and the connection closed (close 1009); reconnecting`,
        ),
      };
    case 1001:
      return {
        kind: 'reconnect',
        error: new S2SError('session-expired', `${WHO}: the server ended the session (close 1001${why}); reconnecting`),
      };
    default:
      return {
        kind: 'reconnect',
        error: new S2SError('connection', `${WHO}: connection lost (close ${code}${why}); reconnecting`),
      };
  }
}

/** An HTTP status refusing the WebSocket upgrade. */
export function errorFromUpgradeStatus(status: number): S2SError {
  if (status === 401 || status === 403) {
    return new S2SError(
      'auth',
      `${WHO}: authentication failed (HTTP ${status} on connect); check the apiKey config or OPENAI_API_KEY`,
      {
        fatal: true,
      },
    );
  }
  if (status === 429) return new S2SError('rate-limit', `${WHO}: rate limited (HTTP 429 on connect)`);
  return new S2SError('connection', `${WHO}: the server refused the connection (HTTP ${status})`);
}
