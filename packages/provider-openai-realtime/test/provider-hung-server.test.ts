import { S2SError } from '@beluga-voice/core';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAIRealtimeProvider } from '../src/index.js';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { record } from './support/session.js';
import { type TcpFront, tcpFront } from './support/tcp-front.js';

const KEY = 'sk-hung-0123456789abcdef';

describe('provider.openai-realtime: a server that accepts TCP and never answers the upgrade', () => {
  let front: TcpFront | undefined;
  let mock: MockServer | undefined;
  afterEach(async () => {
    await front?.close();
    await mock?.close();
    front = undefined;
    mock = undefined;
  });

  it('first connect: startSession rejects once with a timeout naming the host, after the allowed retries', async () => {
    front = await tcpFront();
    const provider = new OpenAIRealtimeProvider({
      apiKey: KEY,
      baseUrl: front.url,
      connectTimeoutMs: 150,
      reconnect: { maxAttempts: 1, initialDelayMs: 10, maxDelayMs: 10, jitter: 0 },
    });
    const error = await provider.startSession({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(S2SError);
    const host = new URL(front.url).host;
    expect(error).toMatchObject({
      code: 'timeout',
      fatal: false,
      message: `provider.openai-realtime: no connection to ${host} within 150 ms`,
    });
    expect(front.held).toHaveLength(2);
    // Every held connection was given up by the client.
    await new Promise((r) => setTimeout(r, 50));
    expect(front.closed).toHaveLength(2);
  });

  it('mid-conversation: the reconnect attempts time out one by one and the session ends with one fatal error', async () => {
    mock = await startMockServer({ apiKey: KEY });
    front = await tcpFront(1, mock.port);
    const provider = new OpenAIRealtimeProvider({
      apiKey: KEY,
      baseUrl: front.url,
      connectTimeoutMs: 150,
      reconnect: { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 20, jitter: 0 },
    });
    const session = await provider.startSession({});
    const rec = record(session);
    mock.injectFault({ type: 'drop', during: 'now' });
    const closed = await rec.waitFor('closed', 1, 5000);
    expect(front.held).toHaveLength(2);
    const errors = rec.of('error').map((e) => [e.error.code, e.error.fatal, e.error.message]);
    expect(errors).toEqual([
      ['connection', false, 'provider.openai-realtime: connection lost (close 1006); reconnecting'],
      [
        'connection',
        true,
        'provider.openai-realtime: could not reconnect after 2 attempts (provider.openai-realtime: connection lost (close 1006); reconnecting)',
      ],
    ]);
    expect(closed.reason).toBe(errors[1]?.[2]);
  });
});
