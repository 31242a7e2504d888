import type { Logger } from '@beluga-voice/core';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAIRealtimeProvider } from '../src/index.js';
import { type MockServer, startMockServer } from '../src/mock/index.js';

const KEY = 'sk-provider-temperature-0123456789';
let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function capture(): { logger: Logger; warnings: string[] } {
  const warnings: string[] = [];
  const none = () => {};
  return { warnings, logger: { debug: none, info: none, error: none, warn: (m) => warnings.push(m) } };
}

describe('temperature, which only the beta protocol has', () => {
  it('GA: an explicit temperature is ignored with one warning per provider, however many sessions', async () => {
    server = await startMockServer({ apiKey: KEY });
    const provider = new OpenAIRealtimeProvider({ apiKey: KEY, baseUrl: server.baseUrl, temperature: 0.9 });
    const { logger, warnings } = capture();
    for (let i = 0; i < 2; i++) await (await provider.startSession({}, { logger })).close();
    expect(warnings).toEqual(['temperature 0.9 ignored: the GA Realtime protocol has no temperature setting']);
    const updates = server.received.filter((r) => r.event.type === 'session.update');
    expect(updates.every((r) => !('temperature' in (r.event.session as object)))).toBe(true);
  });

  it('GA without a temperature says nothing; beta sends the default 0.8', async () => {
    server = await startMockServer({ apiKey: KEY });
    const { logger, warnings } = capture();
    await (
      await new OpenAIRealtimeProvider({ apiKey: KEY, baseUrl: server.baseUrl }).startSession({}, { logger })
    ).close();
    expect(warnings).toEqual([]);
    const beta = new OpenAIRealtimeProvider({ apiKey: KEY, baseUrl: server.baseUrl, protocol: 'beta' });
    await (await beta.startSession({}, { logger })).close();
    const betaUpdate = server.received.filter((r) => r.event.type === 'session.update').at(-1);
    expect((betaUpdate?.event.session as { temperature?: number } | undefined)?.temperature).toBe(0.8);
  });
});
