import { describeProviderConformance } from '@beluga-voice/core/conformance';
import { afterAll, beforeAll } from 'vitest';
import { GeminiLiveProvider } from '../src/index.js';
import { type GeminiMockServer, startGeminiMockServer } from '../src/mock/index.js';
import { until } from './support/fixtures.js';

const KEY = 'AIza-conformance-0123456789';
let server: GeminiMockServer;

beforeAll(async () => {
  // Paced like the service (a chunk every 20 ms) so that an interruption lands mid-response.
  server = await startGeminiMockServer({ apiKey: KEY, script: { chunkIntervalMs: 20 } });
});
afterAll(() => server.close());

describeProviderConformance(
  'provider.gemini-live against the mock',
  (_scenario, env) => new GeminiLiveProvider({ apiKey: KEY, baseUrl: server.url }, { scheduler: env.scheduler }),
  {
    resources: async () => {
      await until(() => server.openConnections === 0, 1000, 'the mock to see every socket closed').catch(
        () => undefined,
      );
      return server.openConnections;
    },
  },
);
