import type { S2SSession } from '@beluga-voice/core';
import { SessionProbe } from '@beluga-voice/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GeminiLiveProvider } from '../src/index.js';
import { type GeminiMockServer, startGeminiMockServer } from '../src/mock/index.js';
import { until, utteranceFrames } from './support/fixtures.js';

const KEY = 'AIza-resume-0123456789';
let server: GeminiMockServer;
let session: S2SSession;
let probe: SessionProbe;

beforeEach(async () => {
  server = await startGeminiMockServer({ apiKey: KEY });
  const provider = new GeminiLiveProvider({
    apiKey: KEY,
    baseUrl: server.url,
    reconnect: { maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 50 },
  });
  session = await provider.startSession({ systemPrompt: 'Be brief.' });
  probe = new SessionProbe(session, 10_000);
  for (const frame of utteranceFrames()) session.sendAudio(frame);
  await probe.waitFor('first turn done', (e) => e.type === 'response-done');
});
afterEach(async () => {
  await session.close();
  probe.dispose();
  await server.close();
});

const setups = () => server.received.filter((m) => m.setup).map((m) => m.setup as Record<string, unknown>);
const handles = () => setups().map((s) => (s.sessionResumption as { handle?: string } | undefined)?.handle ?? null);

describe('provider.gemini-live: session resumption', () => {
  it('a message above the 16 MiB limit is refused at the socket, reported, and the session resumes', async () => {
    server.injectFault({ type: 'oversized-message', bytes: 17 * 1024 * 1024 });
    const reconnected = await probe.waitFor('reconnected', (e) => e.type === 'reconnected');
    expect(reconnected).toMatchObject({ type: 'reconnected', attempt: 1 });
    const errors = probe.events.flatMap((e) => (e.type === 'error' ? [e.error.message] : []));
    expect(errors).toEqual([
      'provider.gemini-live: the service sent a message larger than the 16 MiB limit; it was refused and the connection closed (close 1009)',
    ]);
  });

  it('a dropped socket resumes with the latest handle: the server keeps the context, nothing is replayed', async () => {
    const before = [...server.connections[0].context];
    server.injectFault({ type: 'drop' });
    const reconnected = await probe.waitFor('reconnected', (e) => e.type === 'reconnected');
    expect(reconnected).toMatchObject({ type: 'reconnected', attempt: 1 });
    expect(handles()).toEqual([null, expect.any(String)]);
    expect(server.received.filter((m) => m.clientContent)).toEqual([]);
    expect(server.connections[1].context).toEqual(before);
    const errors = probe.events.flatMap((e) => (e.type === 'error' ? [[e.error.code, e.error.fatal]] : []));
    expect(errors).toEqual([['connection', false]]);
    // The conversation goes on over the new socket.
    const mark = probe.events.length;
    for (const frame of utteranceFrames()) session.sendAudio(frame);
    await probe.waitFor('second turn', (e) => e.type === 'response-done', mark);
    expect(server.connections[1].context.at(-1)).toBe('model: I heard you. I have 3 earlier messages in context.');
  });

  it('user audio sent while resuming is held and delivered on the new socket', async () => {
    server.injectFault({ type: 'drop' });
    const lost = await probe.waitFor('connection lost', (e) => e.type === 'error');
    const mark = probe.events.indexOf(lost);
    for (const frame of utteranceFrames()) session.sendAudio(frame);
    await probe.waitFor('reconnected', (e) => e.type === 'reconnected', mark);
    await probe.waitFor('answer on the new socket', (e) => e.type === 'response-done', mark);
    expect(server.connections[1].context.slice(-2)).toEqual([
      'user: hello',
      'model: I heard you. I have 3 earlier messages in context.',
    ]);
  });

  it('a refused handle falls back to a new session that gets the conversation replayed as text', async () => {
    server.injectFault({ type: 'forget-handles' });
    server.injectFault({ type: 'drop' });
    await probe.waitFor('reconnected', (e) => e.type === 'reconnected');
    expect(handles()).toEqual([null, expect.any(String), null]);
    await until(() => server.received.some((m) => m.clientContent), 2000, 'the replay to arrive');
    const replay = server.received.filter((m) => m.clientContent).map((m) => m.clientContent);
    expect(replay).toEqual([
      {
        turns: [
          { role: 'user', parts: [{ text: 'hello' }] },
          { role: 'model', parts: [{ text: 'I heard you. I have 1 earlier messages in context.' }] },
        ],
        turnComplete: false,
      },
    ]);
    expect(server.connections.at(-1)?.context).toEqual(server.connections[0].context);
  });

  it('goAway: moves to a new socket with the handle before the deadline, without reporting an error', async () => {
    const started = Date.now();
    server.injectFault({ type: 'go-away', timeLeftMs: 3000 });
    await probe.waitFor('reconnected', (e) => e.type === 'reconnected');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(handles()).toEqual([null, expect.any(String)]);
    expect(probe.events.filter((e) => e.type === 'error')).toEqual([]);
  });

  it('a rate limit (close 1011, quota) ends the session with a fatal rate-limit error: no retry', async () => {
    server.injectFault({ type: 'rate-limit' });
    await probe.waitFor('closed', (e) => e.type === 'closed');
    const errors = probe.events.flatMap((e) => (e.type === 'error' ? [e.error] : []));
    expect(errors.map((e) => [e.code, e.fatal, e.message])).toEqual([
      [
        'rate-limit',
        true,
        'provider.gemini-live: rate limited (close 1011): Resource has been exhausted (e.g. check quota).',
      ],
    ]);
    expect(server.connectionCount).toBe(1);
  });
});
