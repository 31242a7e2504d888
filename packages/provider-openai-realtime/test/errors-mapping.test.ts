import { PROVIDER_MAX_MESSAGE_BYTES } from '@beluga-voice/core';
import { describe, expect, it } from 'vitest';
import { errorFromServerEvent, outcomeOfClose } from '../src/errors.js';

describe('server errors and close codes → typed S2S errors', () => {
  it.each([
    [{ type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided' }, 'auth', true],
    [
      {
        type: 'invalid_request_error',
        code: 'session_expired',
        message: 'Your session hit the maximum duration of 60 minutes.',
      },
      'session-expired',
      false,
    ],
    [
      {
        type: 'invalid_request_error',
        code: 'beta_api_shape_disabled',
        message: 'The Realtime Beta API is no longer supported.',
      },
      'invalid-request',
      true,
    ],
    [{ type: 'rate_limit_exceeded', code: 'rate_limit_exceeded', message: 'Rate limit reached' }, 'rate-limit', false],
    [{ type: 'server_error', code: null, message: 'The server had an error' }, 'server', false],
    [
      {
        type: 'invalid_request_error',
        code: 'unknown_parameter',
        message: "Unknown parameter: 'session.voice'.",
        param: 'session.voice',
      },
      'invalid-request',
      false,
    ],
  ] as const)('%o → %s (fatal %s)', (body, code, fatal) => {
    const error = errorFromServerEvent(body);
    expect(error.code).toBe(code);
    expect(error.fatal).toBe(fatal);
    expect(error.message.startsWith('provider.openai-realtime: ')).toBe(true);
    expect(error.message).toContain(body.message);
  });

  it('names the parameter of a rejected request', () => {
    expect(
      errorFromServerEvent({
        type: 'invalid_request_error',
        code: 'unknown_parameter',
        message: "Unknown parameter: 'session.voice'.",
        param: 'session.voice',
      }).message,
    ).toBe(
      "provider.openai-realtime: request rejected: Unknown parameter: 'session.voice'. (unknown_parameter, session.voice)",
    );
  });

  it('redacts key-shaped text the server echoes', () => {
    const error = errorFromServerEvent({
      type: 'invalid_request_error',
      code: 'invalid_api_key',
      message: 'Incorrect API key provided: sk-abcdefghijklmnopqrstuvwxyz.',
    });
    expect(error.message).not.toContain('sk-abcdefghijklmnopqrstuvwxyz');
    expect(error.message).toContain('[redacted]');
  });

  it.each([
    [
      3000,
      'invalid_request_error.invalid_api_key',
      'fatal',
      'auth',
      'provider.openai-realtime: authentication failed (close 3000: invalid_request_error.invalid_api_key); check the apiKey config or OPENAI_API_KEY',
    ],
    [
      4000,
      'invalid_request_error.beta_api_shape_disabled',
      'fatal',
      'invalid-request',
      'provider.openai-realtime: the service refused the beta protocol (close 4000: invalid_request_error.beta_api_shape_disabled); set protocol: ga',
    ],
    [
      1001,
      'Your session hit the maximum duration of 60 minutes.',
      'reconnect',
      'session-expired',
      'provider.openai-realtime: the server ended the session (close 1001: Your session hit the maximum duration of 60 minutes.); reconnecting',
    ],
    [1006, '', 'reconnect', 'connection', 'provider.openai-realtime: connection lost (close 1006); reconnecting'],
    [
      1009,
      '',
      'reconnect',
      'server',
      'provider.openai-realtime: the server sent a message larger than the 16 MiB limit; it was refused and the connection closed (close 1009); reconnecting',
    ],
  ] as const)('close %i → %s', (closeCode, reason, kind, code, message) => {
    const outcome = outcomeOfClose(closeCode, reason, PROVIDER_MAX_MESSAGE_BYTES);
    expect(outcome.kind).toBe(kind);
    expect(outcome.error.code).toBe(code);
    expect(outcome.error.message).toBe(message);
  });
});
