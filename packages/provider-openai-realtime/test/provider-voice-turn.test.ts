import { afterEach, describe, expect, it } from 'vitest';
import { OpenAIRealtimeProvider } from '../src/index.js';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { firstTurn24k } from './support/fixtures.js';
import { audioFrames, record } from './support/session.js';

const KEY = 'sk-provider-voice-turn-0123456789';

describe('provider.openai-realtime: a voice turn against the mock', () => {
  let server: MockServer;
  afterEach(() => server.close());

  it.each(['ga', 'beta'] as const)(
    '%s: server VAD turn → user transcript, audio frames, assistant transcript, usage',
    async (protocol) => {
      server = await startMockServer({
        apiKey: KEY,
        script: { userTranscript: 'What is the weather like?', replies: [{ text: 'It is sunny today.' }] },
      });
      const provider = new OpenAIRealtimeProvider({ apiKey: KEY, baseUrl: server.baseUrl, protocol });
      const session = await provider.startSession({ systemPrompt: 'Answer in one sentence.' });
      const rec = record(session);
      for (const frame of audioFrames(firstTurn24k(), 20)) session.sendAudio(frame);
      const done = await rec.waitFor('response-done');
      await rec.waitFor('transcript', 1);

      expect(rec.events[0]).toEqual({ type: 'session-started', sessionId: session.id });
      expect(session.id).toMatch(/^sess_/);
      const [start] = rec.of('speech-start');
      const [stop] = rec.of('speech-stop');
      expect(start.timestamp).toBeGreaterThanOrEqual(150);
      expect(start.timestamp).toBeLessThanOrEqual(250);
      expect(stop.timestamp).toBeGreaterThanOrEqual(3000);
      expect(stop.timestamp).toBeLessThanOrEqual(3200);

      const userFinal = rec.of('transcript').find((t) => t.role === 'user' && t.final);
      expect(userFinal?.text).toBe('What is the weather like?');
      const assistant = rec.of('transcript').filter((t) => t.role === 'assistant');
      expect(
        assistant
          .filter((t) => !t.final)
          .map((t) => t.text)
          .join(''),
      ).toBe('It is sunny today.');
      expect(assistant.find((t) => t.final)?.text).toBe('It is sunny today.');

      const [responseStart] = rec.of('response-start');
      const audio = rec.of('audio');
      expect(audio.length).toBeGreaterThan(1);
      for (const a of audio) {
        expect(a.responseId).toBe(responseStart.responseId);
        expect(a.itemId).toMatch(/^item_/);
        expect(a.frame.format).toEqual({ encoding: 'pcm16', sampleRate: 24000, channels: 1 });
        expect(a.frame.responseId).toBe(responseStart.responseId);
      }
      // Timestamps run on without gaps across the frames of the reply.
      for (let i = 1; i < audio.length; i++) {
        const prev = audio[i - 1].frame;
        expect(audio[i].frame.timestamp).toBeCloseTo(prev.timestamp + (prev.samples.length / 24000) * 1000, 6);
      }
      expect(done).toMatchObject({ responseId: responseStart.responseId, status: 'completed' });
      expect(done.usage?.outputTokens).toBeGreaterThan(0);
      expect(done.usage?.totalTokens).toBe((done.usage?.inputTokens ?? 0) + (done.usage?.outputTokens ?? 0));

      const sent = server.received.map((r) => r.event);
      expect(sent[0].type).toBe('session.update');
      const appends = server.received
        .filter((r) => r.event.type === 'input_audio_buffer.append')
        .map((r) => r.audioBytes as number);
      expect(appends.length).toBeGreaterThan(0);
      // 20 ms frames go out as 20–100 ms appends (960–4800 bytes of pcm16 at 24 kHz).
      for (const bytes of appends) {
        expect(bytes).toBeGreaterThanOrEqual(960);
        expect(bytes).toBeLessThanOrEqual(4800);
      }
      await session.close();
      expect(rec.events.at(-1)).toEqual({ type: 'closed' });
    },
  );

  it('sends every turn-detection field (pitfall 9) in the GA session shape', async () => {
    server = await startMockServer();
    const provider = new OpenAIRealtimeProvider({
      apiKey: KEY,
      baseUrl: server.baseUrl,
      voice: 'marin',
      instructions: 'Be brief.',
    });
    const session = await provider.startSession({});
    const update = server.received[0].event as { session: Record<string, unknown> };
    expect(update.session).toEqual({
      type: 'realtime',
      output_modalities: ['audio'],
      instructions: 'Be brief.',
      audio: {
        input: {
          format: { type: 'audio/pcm', rate: 24000 },
          transcription: { model: 'whisper-1' },
          turn_detection: {
            type: 'server_vad',
            threshold: 0.5,
            prefix_padding_ms: 300,
            silence_duration_ms: 500,
            create_response: true,
            interrupt_response: true,
            idle_timeout_ms: null,
          },
        },
        output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'marin' },
      },
      tools: [],
      tool_choice: 'auto',
    });
    await session.close();
  });
});
