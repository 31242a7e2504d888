import { S2SError } from '@beluga-voice/core';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAIRealtimeProvider } from '../src/index.js';
import { type MockServer, startMockServer } from '../src/mock/index.js';

const RIGHT = 'sk-right-key-0123456789abcdef';
const WRONG = 'sk-wrong-key-9876543210fedcba';

describe('provider.openai-realtime: authentication failure', () => {
  let server: MockServer | undefined;
  afterEach(() => server?.close());

  it('fails startSession with a clear, typed, fatal error and does not retry', async () => {
    server = await startMockServer({ apiKey: RIGHT });
    const mock = server;
    const provider = new OpenAIRealtimeProvider({
      apiKey: WRONG,
      baseUrl: mock.baseUrl,
      reconnect: { maxAttempts: 5, initialDelayMs: 10, maxDelayMs: 10, jitter: 0 },
    });
    const error = await provider.startSession({}).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(S2SError);
    const e = error as S2SError;
    expect(e.code).toBe('auth');
    expect(e.fatal).toBe(true);
    expect(e.message).toMatch(
      /^provider\.openai-realtime: authentication failed: Incorrect API key provided: .*\(invalid_api_key\); check the apiKey config or OPENAI_API_KEY$/,
    );
    expect(e.message).not.toContain(WRONG);
    await new Promise((r) => setTimeout(r, 200));
    expect(mock.connectionCount).toBe(1);
    expect(mock.openConnections).toBe(0);
  });

  it('refuses to start without a key, naming OPENAI_API_KEY', () => {
    const saved = process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_API_KEY;
    try {
      expect(() => new OpenAIRealtimeProvider({ baseUrl: 'ws://127.0.0.1:1/v1' })).toThrow(
        /apiKey is required: set OPENAI_API_KEY or the apiKey config field/,
      );
    } finally {
      if (saved !== undefined) process.env.OPENAI_API_KEY = saved;
    }
  });
});
