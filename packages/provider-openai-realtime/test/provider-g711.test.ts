import { afterEach, describe, expect, it } from 'vitest';
import { OpenAIRealtimeProvider } from '../src/index.js';
import { encodeFromPcm16, readWavAsPcm16 } from '../src/mock/audio.js';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { TWO_TURNS_24K } from './support/fixtures.js';
import { record } from './support/session.js';

const KEY = 'sk-g711-0123456789abcdef';
const MULAW = { encoding: 'mulaw', sampleRate: 8000, channels: 1 } as const;

describe('provider.openai-realtime with G.711 μ-law (telephony)', () => {
  let server: MockServer;
  afterEach(() => server.close());

  it.each(['ga', 'beta'] as const)(
    '%s: declares 8 kHz μ-law caps, sends μ-law and gets μ-law back',
    async (protocol) => {
      server = await startMockServer({ apiKey: KEY });
      const provider = new OpenAIRealtimeProvider({
        apiKey: KEY,
        baseUrl: server.baseUrl,
        protocol,
        audioFormat: 'g711_ulaw',
      });
      expect(provider.capabilities.input).toEqual({ encoding: ['mulaw'], sampleRate: [8000], channels: [1] });
      expect(provider.capabilities.output).toEqual(MULAW);
      const session = await provider.startSession({});
      const rec = record(session);
      const mulaw = encodeFromPcm16('g711_ulaw', readWavAsPcm16(TWO_TURNS_24K, 8000).subarray(0, 8000 * 3.6));
      for (let i = 0; i < mulaw.length; i += 160) {
        session.sendAudio({ kind: 'audio', timestamp: i / 8, format: MULAW, samples: mulaw.slice(i, i + 160) });
      }
      const done = await rec.waitFor('response-done');
      expect(done.status).toBe('completed');
      const audio = rec.of('audio');
      expect(audio.length).toBeGreaterThan(0);
      for (const a of audio) {
        expect(a.frame.format).toEqual(MULAW);
        expect(a.frame.samples).toBeInstanceOf(Uint8Array);
      }
      const update = server.received[0].event as { session: Record<string, any> };
      if (protocol === 'ga') expect(update.session.audio.input.format).toEqual({ type: 'audio/pcmu' });
      else
        expect(update.session).toMatchObject({
          input_audio_format: 'g711_ulaw',
          output_audio_format: 'g711_ulaw',
          temperature: 0.8,
        });
      await session.close();
    },
  );
});
