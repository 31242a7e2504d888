import { SessionProbe } from '@beluga-voice/core/testing';
import { afterEach, expect, it } from 'vitest';
import { GeminiLiveProvider } from '../src/index.js';
import { type GeminiMockServer, startGeminiMockServer } from '../src/mock/index.js';
import { utteranceFrames } from './support/fixtures.js';

const KEY = 'AIza-manual-0123456789';
let server: GeminiMockServer;
afterEach(() => server.close());

it('manual turn detection: a local VAD start/stop becomes activityStart/activityEnd, and the model answers', async () => {
  server = await startGeminiMockServer({ apiKey: KEY });
  const provider = new GeminiLiveProvider({ apiKey: KEY, baseUrl: server.url, turnDetection: { type: 'manual' } });
  expect(provider.capabilities.serverVad).toBe(false);
  const session = await provider.startSession({});
  const probe = new SessionProbe(session, 10_000);
  session.speechStarted(0);
  for (const frame of utteranceFrames()) session.sendAudio(frame);
  session.speechStopped(2000);
  await probe.waitFor('reply', (e) => e.type === 'response-done' && e.status === 'completed');
  const setup = server.received[0].setup as { realtimeInputConfig: unknown };
  expect(setup.realtimeInputConfig).toEqual({ automaticActivityDetection: { disabled: true } });
  const activity = server.received
    .map((m) => m.realtimeInput as Record<string, unknown> | undefined)
    .filter((r) => r && !r.audio)
    .map((r) => Object.keys(r as object)[0]);
  expect(activity).toEqual(['activityStart', 'activityEnd']);
  expect(server.connections[0].context).toEqual([
    'user: hello',
    'model: I heard you. I have 1 earlier messages in context.',
  ]);
  await session.close();
  probe.dispose();
});
