import { FailoverProvider } from '@beluga-voice/core';
import { describeProviderConformance } from '@beluga-voice/core/conformance';
import { afterAll, beforeAll } from 'vitest';
import { GeminiLiveProvider } from '../src/index.js';
import { type GeminiMockServer, startGeminiMockServer } from '../src/mock/index.js';
import { until } from './support/fixtures.js';

const KEY = 'AIza-failover-conformance-0123';
let server: GeminiMockServer;

beforeAll(async () => {
  server = await startGeminiMockServer({ apiKey: KEY, script: { chunkIntervalMs: 20 } });
});
afterAll(() => server.close());

// The failover is a provider like any other: 24 kHz in and out, converted to Gemini's 16 kHz input.
describeProviderConformance(
  'provider.failover over Gemini Live (mock)',
  (_scenario, env) =>
    new FailoverProvider({
      providers: [
        {
          name: 'gemini-live',
          create: () => new GeminiLiveProvider({ apiKey: KEY, baseUrl: server.url }, { scheduler: env.scheduler }),
        },
      ],
      scheduler: env.scheduler,
    }),
  {
    resources: async () => {
      await until(() => server.openConnections === 0, 1000, 'the mock to see every socket closed').catch(
        () => undefined,
      );
      return server.openConnections;
    },
  },
);
