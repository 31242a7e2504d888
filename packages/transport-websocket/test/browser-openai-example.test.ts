import { join } from 'node:path';
import { type MockServer, startMockServer } from '@beluga-voice/provider-openai-realtime/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureSamples } from './support/fixtures.js';
import { examples, startServe } from './support/serve-process.js';
import { connect, type OpenClient } from './support/ws-client.js';

const API_KEY = 'sk-test-not-a-real-key-7f3a9c';
let mock: MockServer;

beforeAll(async () => {
  mock = await startMockServer({ apiKey: API_KEY });
});
afterAll(() => mock.close());

/** Sends pcm16 audio as 20 ms binary messages at real-time pace. */
async function speak(client: OpenClient, pcm: Uint8Array, sampleRate: number): Promise<void> {
  const bytes = (sampleRate / 50) * 2;
  const t0 = performance.now();
  for (let i = 0, n = 0; i < pcm.length; i += bytes, n++) {
    client.ws.send(pcm.subarray(i, i + bytes));
    await new Promise((r) => setTimeout(r, Math.max(0, t0 + (n + 1) * 20 - performance.now())));
  }
}

describe('examples/browser-openai.yaml served to a browser-protocol client, against the OpenAI mock', () => {
  it('answers a spoken turn, takes the caller name from the query, and never shows the API key', async () => {
    const serve = await startServe([join(examples, 'browser-openai.yaml')], {
      OPENAI_BASE_URL: mock.baseUrl,
      OPENAI_API_KEY: API_KEY,
    });
    try {
      const client = (await connect(`${serve.url.replace('http', 'ws')}/ws?caller=Ann`)) as OpenClient;
      // The client plays each chunk the moment it arrives and says so, as the page does while playing.
      let audioBytes = 0;
      let response: string | undefined;
      let responseBytes = 0;
      client.ws.on('message', (data, isBinary) => {
        if (!isBinary) {
          const message = JSON.parse(String(data)) as { type: string; responseId?: string };
          if (message.type === 'response') [response, responseBytes] = [message.responseId, 0];
          return;
        }
        audioBytes += (data as Buffer).length;
        responseBytes += (data as Buffer).length;
        client.ws.send(JSON.stringify({ type: 'played', responseId: response, playedMs: responseBytes / 48 }));
      });
      await expect.poll(() => client.messages[0]?.type).toBe('session');
      expect(client.messages[0]).toMatchObject({ input: { sampleRate: 24000 }, output: { sampleRate: 24000 } });

      // First turn of the 24 kHz fixture (speech 0.5–2.6 s) and a second of silence.
      const turn = fixtureSamples('two-turns-24k.wav').subarray(0, 24000 * 2 * 3.6);
      await speak(client, turn, 24000);
      await expect.poll(() => client.messages.some((m) => m.type === 'turn'), { timeout: 15_000 }).toBe(true);
      expect(audioBytes).toBeGreaterThan(24000 * 2 * 0.5);
      const turnMessage = client.messages.find((m) => m.type === 'turn') as { voiceToVoiceMs?: number };
      expect(turnMessage.voiceToVoiceMs).toBeGreaterThan(0);

      const update = mock.received.find((r) => (r.event as { type?: string }).type === 'session.update');
      expect(JSON.stringify(update?.event)).toContain("The caller's name is Ann.");

      client.ws.send(JSON.stringify({ type: 'stop' }));
      expect(await client.closed).toEqual({ code: 1000, reason: 'caller hung up' });
      expect(JSON.stringify(client.messages)).not.toContain(API_KEY);
      await expect.poll(() => serve.output()).toMatch(/session \S+ ended \(browser, 1 turns/);
      expect(serve.output()).not.toContain(API_KEY);
    } finally {
      serve.kill('SIGKILL');
    }
  }, 40_000);
});
