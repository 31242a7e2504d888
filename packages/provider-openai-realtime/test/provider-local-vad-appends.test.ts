import { afterEach, describe, expect, it } from 'vitest';
import { OpenAIRealtimeProvider } from '../src/index.js';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { appendMessage } from '../src/wire/append-message.js';
import { parseServerEvent } from '../src/wire/server-events.js';
import { firstTurn24k } from './support/fixtures.js';
import { audioFrames, record } from './support/session.js';

const KEY = 'sk-provider-local-vad-0123456789';

describe('provider.openai-realtime with a local VAD (server VAD off)', () => {
  let server: MockServer;
  afterEach(() => server.close());

  it('sends live 20 ms frames as 100 ms appends, and the commit at speech end carries the rest at once', async () => {
    server = await startMockServer({ apiKey: KEY, script: { replies: [{ text: 'Yes.' }] } });
    const provider = new OpenAIRealtimeProvider({
      apiKey: KEY,
      baseUrl: server.baseUrl,
      turnDetection: { type: 'none' },
    });
    const session = await provider.startSession({});
    const rec = record(session);
    // 1.05 s of speech, one frame per macrotask as a live source delivers it.
    const frames = audioFrames(firstTurn24k().subarray(0, 24000 * 1.05), 20);
    for (const frame of frames) {
      session.sendAudio(frame);
      await new Promise((resolve) => setImmediate(resolve));
    }
    session.speechStopped(1050);
    await rec.waitFor('response-done');
    const sent = server.received.filter((r) => String(r.event.type).startsWith('input_audio_buffer.'));
    const appends = sent.filter((r) => r.event.type === 'input_audio_buffer.append').map((r) => r.audioBytes);
    // 10 appends of 100 ms (4800 bytes) and the last 50 ms flushed by the commit: 5× fewer than frames.
    expect(appends).toEqual([...Array(10).fill(4800), 2400]);
    expect(frames.length).toBe(53);
    expect(sent.at(-1)?.event.type).toBe('input_audio_buffer.commit');
    await session.close();
  });

  it('with the server VAD on, audio still leaves every frame', async () => {
    server = await startMockServer({ apiKey: KEY });
    const provider = new OpenAIRealtimeProvider({ apiKey: KEY, baseUrl: server.baseUrl });
    const session = await provider.startSession({});
    for (const frame of audioFrames(new Int16Array(24000 * 0.2), 20)) {
      session.sendAudio(frame);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await server.waitForClientEvent('input_audio_buffer.append', { count: 10 });
    const appends = server.received.filter((r) => r.event.type === 'input_audio_buffer.append');
    expect(appends.map((r) => r.audioBytes)).toEqual(Array(10).fill(960));
    await session.close();
  });
});

describe('the audio hot path on the wire', () => {
  it('builds the append text around the base64: the same JSON as serialising the event', () => {
    const audio = new Uint8Array([0, 1, 2, 250, 251, 252, 253]);
    const text = appendMessage('evt_000001', audio.subarray(1, 6));
    expect(JSON.parse(text)).toEqual({
      event_id: 'evt_000001',
      type: 'input_audio_buffer.append',
      audio: Buffer.from([1, 2, 250, 251, 252]).toString('base64'),
    });
  });

  it('takes a well-formed audio delta without the schema, and leaves the schema to name what is wrong in a bad one', () => {
    const delta = {
      type: 'response.audio.delta',
      event_id: 'event_1',
      response_id: 'resp_1',
      item_id: 'item_1',
      output_index: 0,
      content_index: 0,
      delta: Buffer.from([1, 2, 3, 4]).toString('base64'),
      extra: 'kept',
    };
    expect(parseServerEvent(JSON.stringify(delta))).toEqual({
      kind: 'event',
      event: { ...delta, type: 'response.output_audio.delta' },
    });
    expect(parseServerEvent(JSON.stringify({ ...delta, response_id: 42 }))).toEqual({
      kind: 'invalid',
      type: 'response.audio.delta',
      problem: 'response_id: Invalid input: expected string, received number',
    });
    const bad = parseServerEvent(JSON.stringify({ ...delta, delta: 'AA-_' }));
    expect(bad).toMatchObject({ kind: 'invalid', type: 'response.audio.delta' });
    expect((bad as { problem: string }).problem).toMatch(/^delta: /);
  });
});
