import { afterEach, describe, expect, it } from 'vitest';
import { OpenAIRealtimeProvider } from '../src/index.js';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { record } from './support/session.js';

const KEY = 'sk-expiry-0123456789abcdef';

describe('provider.openai-realtime: session expiry', () => {
  let server: MockServer;
  afterEach(() => server.close());

  it('on session_expired + close 1001: reports it, reconnects, replays the conversation and carries on', async () => {
    server = await startMockServer({
      apiKey: KEY,
      script: { replies: [{ text: 'Nice to meet you, Ada.' }, { text: 'You are Ada.' }] },
    });
    const provider = new OpenAIRealtimeProvider({
      apiKey: KEY,
      baseUrl: server.baseUrl,
      reconnect: { maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 50, jitter: 0 },
    });
    const session = await provider.startSession({});
    const rec = record(session);
    session.sendText('My name is Ada.');
    await rec.waitFor('response-done');

    server.injectFault({ type: 'expire-session', during: 'now' });
    const expired = await rec.waitFor('error');
    expect(expired.error.code).toBe('session-expired');
    expect(expired.error.fatal).toBe(false);
    expect(expired.error.message).toContain('reconnecting');
    await rec.waitFor('reconnected');
    await server.waitForClientEvent('conversation.item.create', { count: 3 });

    const replay = server.received.filter((r) => r.connection === 2).map((r) => r.event);
    expect(replay.map((e) => e.type)).toEqual([
      'session.update',
      'conversation.item.create',
      'conversation.item.create',
    ]);
    expect(replay[1].item).toEqual({
      type: 'message',
      role: 'user',
      content: [{ type: 'input_text', text: 'My name is Ada.' }],
    });
    expect(replay[2].item).toEqual({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'output_text', text: 'Nice to meet you, Ada.' }],
    });

    session.sendText('Who am I?');
    const next = await rec.waitFor('response-done', 2);
    expect(next.status).toBe('completed');
    expect(rec.of('closed')).toEqual([]);
    await session.close();
  });

  it('expires on its own after sessionMaxMs, as the service does after 60 minutes', async () => {
    server = await startMockServer({ apiKey: KEY, sessionMaxMs: 300 });
    const provider = new OpenAIRealtimeProvider({
      apiKey: KEY,
      baseUrl: server.baseUrl,
      reconnect: { maxAttempts: 1, initialDelayMs: 10, maxDelayMs: 10, jitter: 0 },
    });
    const session = await provider.startSession({});
    const rec = record(session);
    const expired = await rec.waitFor('error', 1, 3000);
    expect(expired.error.code).toBe('session-expired');
    expect(expired.error.message).toContain('maximum duration');
    await rec.waitFor('reconnected');
    await session.close();
  });
});
