import { CONFORMANCE_TOOL, describeProviderConformance } from '@beluga-voice/core/conformance';
import { afterAll, beforeAll } from 'vitest';
import { OpenAIRealtimeProvider } from '../src/index.js';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { until } from './support/fixtures.js';

const KEY = 'sk-conformance-0123456789abcdef';
let server: MockServer;

beforeAll(async () => {
  // Paced like the service (a chunk every 20 ms) so that an interruption lands mid-response.
  server = await startMockServer({ apiKey: KEY, script: { chunkIntervalMs: 20 } });
});
afterAll(() => server.close());

describeProviderConformance(
  'provider.openai-realtime against the mock',
  (scenario, env) =>
    new OpenAIRealtimeProvider(
      {
        apiKey: KEY,
        baseUrl: server.baseUrl,
        ...(scenario === 'tool-call' ? { toolChoice: { type: 'function', name: CONFORMANCE_TOOL.name } } : {}),
      },
      { scheduler: env.scheduler },
    ),
  {
    // Open sockets as the mock sees them: every session's socket must be gone after close.
    resources: async () => {
      await until(() => server.openConnections === 0, 1000, 'the mock to see every socket closed').catch(
        () => undefined,
      );
      return server.openConnections;
    },
  },
);
