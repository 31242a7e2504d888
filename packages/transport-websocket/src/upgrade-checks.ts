import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Why an upgrade is refused: HTTP status and a short text naming what to fix. */
export interface Refusal {
  readonly status: number;
  readonly text: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** The `reason` label of `beluga_upgrades_refused_total`, for the checks below. */
  readonly reason?: 'origin' | 'auth';
}

/**
 * A browser always sends Origin: it must be in the allow-list or, without one, the server's own
 * origin (no other site may open sessions from a visitor's browser). Clients that are not browsers
 * (Twilio, SDKs) send none.
 */
export function checkOrigin(request: IncomingMessage, allowOrigins: readonly string[]): Refusal | undefined {
  const origin = request.headers.origin;
  if (origin === undefined) return undefined;
  if (allowOrigins.includes('*') || allowOrigins.includes(origin)) return undefined;
  if (allowOrigins.length === 0) {
    try {
      if (new URL(origin).host === request.headers.host) return undefined;
    } catch {
      // an Origin that is not a URL is refused below
    }
  }
  return { status: 403, text: `origin ${origin} is not allowed (add it with --allow-origin)`, reason: 'origin' };
}

/** The bearer token, from `Authorization: Bearer T` or (browsers cannot set headers) `?token=T`. */
export function checkToken(request: IncomingMessage, url: URL, token: string | undefined): Refusal | undefined {
  if (token === undefined) return undefined;
  const header = request.headers.authorization;
  const given = header?.startsWith('Bearer ') ? header.slice(7) : url.searchParams.get('token');
  if (given && constantTimeEqual(given, token)) return undefined;
  return {
    status: 401,
    text: given ? 'invalid token' : 'missing token: send Authorization: Bearer <token> or ?token=<token>',
    headers: { 'WWW-Authenticate': 'Bearer' },
    reason: 'auth',
  };
}

/**
 * Twilio signs the Media Stream's upgrade request: `X-Twilio-Signature` is the base64 HMAC-SHA1,
 * keyed with the account's auth token, of the stream URL as written in the TwiML (a GET has no
 * parameters to append). Anyone else who finds the endpoint is refused before a session starts.
 */
export function checkTwilioSignature(
  request: IncomingMessage,
  streamUrl: string,
  authToken: string | undefined,
): Refusal | undefined {
  if (authToken === undefined) return undefined;
  const given = request.headers['x-twilio-signature'];
  const expected = twilioSignature(authToken, streamUrl);
  if (typeof given === 'string' && constantTimeEqual(given, expected)) return undefined;
  return {
    status: 403,
    text:
      typeof given === 'string'
        ? `invalid X-Twilio-Signature for ${streamUrl} (the URL must be the one in your TwiML: set --public-url to its origin)`
        : 'missing X-Twilio-Signature: only Twilio may open /twilio while TWILIO_AUTH_TOKEN is set',
    reason: 'auth',
  };
}

/** What Twilio sends as `X-Twilio-Signature` for a request to `url` without parameters. */
export function twilioSignature(authToken: string, url: string): string {
  return createHmac('sha1', authToken).update(url).digest('base64');
}

function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
