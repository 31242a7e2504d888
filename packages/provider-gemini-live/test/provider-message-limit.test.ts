import { SessionProbe } from '@beluga-voice/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { GeminiLiveProvider } from '../src/index.js';
import { type GeminiMockServer, startGeminiMockServer } from '../src/mock/index.js';

const KEY = 'AIza-limit-0123456789';

describe('provider.gemini-live: maxMessageBytes', () => {
  let server: GeminiMockServer;
  afterEach(() => server.close());

  it('a message above the configured limit is refused at the socket, reported with that limit, and the session resumes', async () => {
    server = await startGeminiMockServer({ apiKey: KEY });
    const provider = new GeminiLiveProvider({
      apiKey: KEY,
      baseUrl: server.url,
      maxMessageBytes: 1024 * 1024,
      reconnect: { maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 50 },
    });
    const session = await provider.startSession({});
    const probe = new SessionProbe(session, 10_000);
    try {
      // 1.5 MiB: under the default 16 MiB, over this session's 1 MiB.
      server.injectFault({ type: 'oversized-message', bytes: 1.5 * 1024 * 1024 });
      const reconnected = await probe.waitFor('reconnected', (e) => e.type === 'reconnected');
      expect(reconnected).toMatchObject({ type: 'reconnected', attempt: 1 });
      expect(probe.events.flatMap((e) => (e.type === 'error' ? [e.error.message] : []))).toEqual([
        'provider.gemini-live: the service sent a message larger than the 1 MiB limit; it was refused and the connection closed (close 1009)',
      ]);
    } finally {
      await session.close();
      probe.dispose();
    }
  });

  it('refuses a limit outside 64 KiB–256 MiB, naming the field', () => {
    expect(() => new GeminiLiveProvider({ apiKey: KEY, maxMessageBytes: 1000 })).toThrow(/maxMessageBytes/);
  });
});
