import { GoogleGenAI, type LiveServerMessage, Modality, type Session } from '@google/genai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GeminiMockServer, startGeminiMockServer } from '../src/mock/index.js';
import { base64, until, utterance16k } from './support/fixtures.js';

const KEY = 'AIza-sdk-test-0123456789';
let server: GeminiMockServer;
let session: Session | undefined;

beforeEach(async () => {
  server = await startGeminiMockServer({ apiKey: KEY });
});
afterEach(async () => {
  session?.close();
  session = undefined;
  await server.close();
});

async function connect(config: Record<string, unknown>, messages: LiveServerMessage[]): Promise<Session> {
  const ai = new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: server.httpUrl } });
  return ai.live.connect({
    model: 'gemini-live-2.5-flash-preview',
    config: { responseModalities: [Modality.AUDIO], ...config },
    callbacks: { onmessage: (m) => messages.push(m) },
  });
}

function audioMs(messages: readonly LiveServerMessage[]): number {
  let bytes = 0;
  for (const m of messages) {
    for (const part of m.serverContent?.modelTurn?.parts ?? []) {
      expect(part.inlineData?.mimeType).toBe('audio/pcm;rate=24000');
      bytes += Buffer.from(part.inlineData?.data ?? '', 'base64').byteLength;
    }
  }
  return bytes / 48;
}

describe('the @google/genai SDK against the Gemini Live mock', () => {
  it('holds a voice turn: recorded speech in, activity detected, 24 kHz audio and transcripts out', async () => {
    const messages: LiveServerMessage[] = [];
    session = await connect({ inputAudioTranscription: {}, outputAudioTranscription: {} }, messages);
    const setup = server.received[0]?.setup as Record<string, unknown>;
    expect(setup.model).toBe('models/gemini-live-2.5-flash-preview');
    const samples = utterance16k();
    for (let i = 0; i < samples.length; i += 320) {
      session.sendRealtimeInput({
        audio: { data: base64(samples.subarray(i, i + 320)), mimeType: 'audio/pcm;rate=16000' },
      });
    }
    await until(() => messages.some((m) => m.serverContent?.turnComplete), 10_000, 'turnComplete');
    const heard = messages.map((m) => m.serverContent?.inputTranscription?.text ?? '').join('');
    const said = messages.map((m) => m.serverContent?.outputTranscription?.text ?? '').join('');
    expect(heard).toBe('hello');
    expect(said).toBe('I heard you. I have 1 earlier messages in context.');
    // 40 ms of tone per character of the reply.
    expect(audioMs(messages)).toBeCloseTo(said.length * 40, 0);
    const order = messages.map((m) =>
      m.setupComplete ? 'setupComplete' : m.usageMetadata ? 'usageMetadata' : Object.keys(m.serverContent ?? {})[0],
    );
    expect(order[0]).toBe('setupComplete');
    expect(order.slice(-3)).toEqual(['generationComplete', 'usageMetadata', 'turnComplete']);
  });

  it('round-trips a function call: toolCall with schema-valid args, toolResponse, spoken answer', async () => {
    const messages: LiveServerMessage[] = [];
    session = await connect(
      {
        tools: [
          {
            functionDeclarations: [
              {
                name: 'get_weather',
                description: 'Weather in a city',
                parametersJsonSchema: {
                  type: 'object',
                  properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
                  required: ['city', 'unit'],
                },
              },
            ],
          },
        ],
      },
      messages,
    );
    session.sendClientContent({ turns: 'What is the weather in Paris?' });
    await until(() => messages.some((m) => m.toolCall), 5000, 'toolCall');
    const call = messages.find((m) => m.toolCall)?.toolCall?.functionCalls?.[0];
    expect(call?.name).toBe('get_weather');
    expect(call?.args).toEqual({ city: expect.any(String), unit: 'celsius' });
    session.sendToolResponse({ functionResponses: [{ id: call?.id, name: 'get_weather', response: { tempC: 21 } }] });
    await until(() => messages.some((m) => m.serverContent?.turnComplete), 5000, 'turnComplete');
    expect(audioMs(messages)).toBeGreaterThan(0);
    expect(server.connections[0].context).toEqual([
      'user: What is the weather in Paris?',
      expect.stringMatching(/^model: called get_weather\(/),
      'function get_weather returned {"tempC":21}',
      'model: I heard you. I have 3 earlier messages in context.',
    ]);
  });

  it('closes a session with a wrong key with 1008 and the reason the service gives', async () => {
    const ai = new GoogleGenAI({ apiKey: 'AIza-wrong', httpOptions: { baseUrl: server.httpUrl } });
    const closed = new Promise<{ code: number; reason: string }>((resolve) => {
      void ai.live
        .connect({
          model: 'gemini-live-2.5-flash-preview',
          config: { responseModalities: [Modality.AUDIO] },
          callbacks: { onmessage: () => undefined, onclose: (e) => resolve({ code: e.code, reason: e.reason }) },
        })
        .catch(() => undefined);
    });
    expect(await closed).toEqual({ code: 1008, reason: 'API key not valid. Please pass a valid API key.' });
  });
});
