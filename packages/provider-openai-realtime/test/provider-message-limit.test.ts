import { afterEach, describe, expect, it } from 'vitest';
import { OpenAIRealtimeProvider } from '../src/index.js';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { record } from './support/session.js';

const KEY = 'sk-message-limit-0123456789abcdef';
// 60 characters: 2.4 s of reply tone, sent as one 2 s delta (128 000 base64 characters) and the rest.
const REPLY = 'Your order left the warehouse this morning and ships today.';
// A reply asked again after the reconnection is short: only the first one is refused.
const script = { replies: [{ text: REPLY }, { text: 'Shipped.' }], chunkMs: 2000 };
const reconnect = { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 50, jitter: 0 };

describe('provider.openai-realtime: maxMessageBytes', () => {
  let server: MockServer;
  afterEach(() => server.close());

  it('a server message above the configured limit is refused (close 1009), reported with the limit, and the session reconnects', async () => {
    server = await startMockServer({ apiKey: KEY, script });
    const provider = new OpenAIRealtimeProvider({
      apiKey: KEY,
      baseUrl: server.baseUrl,
      maxMessageBytes: 64 * 1024,
      reconnect,
    });
    const session = await provider.startSession({});
    const rec = record(session);
    session.sendText('Where is my order?');

    const reconnected = await rec.waitFor('reconnected');
    expect(reconnected.attempt).toBe(1);
    expect(rec.of('error').map((e) => [e.error.code, e.error.fatal, e.error.message])).toEqual([
      [
        'server',
        false,
        'provider.openai-realtime: the server sent a message larger than the 64 KiB limit; it was refused and the connection closed (close 1009); reconnecting',
      ],
    ]);
    // The refused reply ends incomplete with none of its audio; the one asked again plays whole.
    await rec.waitFor('response-done', 2);
    const [lost, replayed] = rec.of('response-done');
    expect([lost.status, replayed.status]).toEqual(['incomplete', 'completed']);
    const audio = rec.of('audio');
    expect(audio.every((a) => a.responseId === replayed.responseId)).toBe(true);
    expect(audio.reduce((n, a) => n + a.frame.samples.length, 0)).toBe('Shipped.'.length * 40 * 24);
    await session.close();
  });

  it('with a limit above the largest delta the same reply plays whole', async () => {
    server = await startMockServer({ apiKey: KEY, script });
    const provider = new OpenAIRealtimeProvider({ apiKey: KEY, baseUrl: server.baseUrl, maxMessageBytes: 256 * 1024 });
    const session = await provider.startSession({});
    const rec = record(session);
    session.sendText('Where is my order?');

    const done = await rec.waitFor('response-done');
    expect(done.status).toBe('completed');
    const samples = rec.of('audio').reduce((n, a) => n + a.frame.samples.length, 0);
    expect(samples).toBe(REPLY.length * 40 * 24);
    expect(rec.of('error')).toEqual([]);
    await session.close();
  });

  it('refuses a limit outside 64 KiB–256 MiB, naming the field', () => {
    expect(() => new OpenAIRealtimeProvider({ apiKey: KEY, maxMessageBytes: 1000 })).toThrow(/maxMessageBytes/);
    expect(() => new OpenAIRealtimeProvider({ apiKey: KEY, maxMessageBytes: 2 ** 30 })).toThrow(/maxMessageBytes/);
  });
});
