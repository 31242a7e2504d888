import { S2SError } from '@beluga-voice/core';
import { type MockServer, startMockServer } from '@beluga-voice/provider-openai-realtime/mock';
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GeminiMockServer, startGeminiMockServer } from '../src/mock/index.js';
import { failoverPair, GEMINI_KEY, OPENAI_KEY } from './support/failover.js';

let openai: MockServer;
let gemini: GeminiMockServer;

beforeEach(async () => {
  openai = await startMockServer({ apiKey: OPENAI_KEY });
  gemini = await startGeminiMockServer({ apiKey: GEMINI_KEY });
});
afterEach(async () => {
  await openai.close();
  await gemini.close();
});

/** A clock the test moves: only the failover's cool-down reads it. */
function manualClock(): SchedulerLike & { advance(ms: number): void } {
  let now = 0;
  return {
    now: () => now,
    schedule: asyncScheduler.schedule.bind(asyncScheduler) as SchedulerLike['schedule'],
    advance: (ms) => {
      now += ms;
    },
  };
}

async function failure(promise: Promise<unknown>): Promise<S2SError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(S2SError);
  return error as S2SError;
}

describe('provider.failover when every provider is down', () => {
  it('fails with one clear error naming each provider, and retries none of them before its cool-down', async () => {
    const clock = manualClock();
    const { provider } = failoverPair(
      { openai: openai.baseUrl, gemini: gemini.url },
      { cooldownMs: 30_000, scheduler: clock, openaiKey: 'sk-revoked-key-000', geminiKey: 'AIza-revoked-key-000' },
    );
    const first = await failure(provider.startSession({}));
    expect(first.code).toBe('connection');
    expect(first.fatal).toBe(true);
    expect(first.message).toMatch(
      /^provider\.failover: no provider available \(openai-realtime: provider\.openai-realtime: .*auth.*; gemini-live: provider\.gemini-live: authentication failed \(close 1008\): API key not valid\. Please pass a valid API key\.\)$/i,
    );
    expect(first.message).not.toContain('revoked-key');
    expect([openai.connectionCount, gemini.connectionCount]).toEqual([1, 1]);

    // Ten more calls inside the cool-down: refused at once, no connection attempted.
    for (let i = 0; i < 10; i++) {
      const again = await failure(provider.startSession({}));
      expect(again.message).toContain('openai-realtime: cooling down for 30 s');
      expect(again.message).toContain('gemini-live: cooling down for 30 s');
    }
    expect([openai.connectionCount, gemini.connectionCount]).toEqual([1, 1]);

    clock.advance(30_001);
    await failure(provider.startSession({}));
    expect([openai.connectionCount, gemini.connectionCount]).toEqual([2, 2]);
  });

  it('skips a provider in cool-down: the next session goes straight to the healthy one', async () => {
    const clock = manualClock();
    const { provider } = failoverPair(
      { openai: openai.baseUrl, gemini: gemini.url },
      { scheduler: clock, openaiKey: 'sk-revoked-key-000' },
    );
    const first = await provider.startSession({});
    const second = await provider.startSession({});
    expect(openai.connectionCount).toBe(1);
    expect(gemini.connectionCount).toBe(2);
    await first.close();
    await second.close();
  });
});
