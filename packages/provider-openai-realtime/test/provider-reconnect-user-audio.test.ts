import { afterEach, describe, expect, it } from 'vitest';
import { OpenAIRealtimeProvider } from '../src/index.js';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { base64, firstTurn24k, until } from './support/fixtures.js';
import { audioFrames, record } from './support/session.js';

const KEY = 'sk-user-audio-0123456789abcdef';
const reconnect = { maxAttempts: 3, initialDelayMs: 20, maxDelayMs: 100, jitter: 0 };
/** 24 kHz pcm16: 48 bytes per ms. */
const BYTES_PER_MS = 48;

function appendedOn(server: MockServer, connection: number): Buffer {
  return Buffer.concat(
    server.received
      .filter((r) => r.connection === connection && r.event.type === 'input_audio_buffer.append')
      .map((r) => Buffer.from(r.event.audio as string, 'base64')),
  );
}

function provider(server: MockServer, inputTranscription: false | { model: string }) {
  return new OpenAIRealtimeProvider({
    apiKey: KEY,
    baseUrl: server.baseUrl,
    reconnect,
    turnDetection: { type: 'none' },
    inputTranscription,
  });
}

describe('provider.openai-realtime: user audio across a reconnection', () => {
  let server: MockServer;
  afterEach(() => server.close());

  it('a drop 250 ms into a 1.5 s turn: the audio from the drop on is held and the whole turn is committed on the new socket', async () => {
    server = await startMockServer({ apiKey: KEY, script: { chunkIntervalMs: 2 } });
    const session = await provider(server, { model: 'whisper-1' }).startSession({});
    const rec = record(session);
    // 1.5 s of the fixture's speech (it starts at 0.5 s).
    const turn = firstTurn24k().slice(24000 * 0.5, 24000 * 2);
    const frames = audioFrames(turn);
    for (const frame of frames.slice(0, 13)) session.sendAudio(frame);
    // With the server's VAD off appends go out in 100 ms: 200 of the 260 ms are on the first socket.
    await until(() => appendedOn(server, 1).byteLength >= 200 * BYTES_PER_MS, 5000, '200 ms on the first socket');
    server.injectFault({ type: 'drop', during: 'now' });
    await rec.waitFor('error');
    // The rest of the turn arrives while the session reconnects, and the user stops speaking.
    for (const frame of frames.slice(13)) session.sendAudio(frame);
    session.speechStopped(1500);
    await rec.waitFor('reconnected');
    expect((await rec.waitFor('response-done')).status).toBe('completed');
    await until(() => rec.of('transcript').some((t) => t.role === 'user' && t.final), 5000, 'the user transcript');
    // The mock transcribes by length: the committed item holds the whole turn.
    expect(rec.of('transcript').find((t) => t.role === 'user' && t.final)?.text).toBe('(user speech, 1500 ms)');

    const resent = appendedOn(server, 2);
    expect(resent.equals(Buffer.from(turn.buffer, turn.byteOffset, turn.byteLength))).toBe(true);
    const types = server.received.filter((r) => r.connection === 2).map((r) => r.event.type);
    expect(types.filter((t) => t !== 'input_audio_buffer.append')).toEqual([
      'session.update',
      'input_audio_buffer.commit',
      'response.create',
    ]);
    expect(rec.of('warning')).toEqual([]);
    await session.close();
  });

  it('holds at most 10 s while reconnecting: past it the oldest audio goes, with a warning and the amount lost', async () => {
    server = await startMockServer({ apiKey: KEY });
    const session = await provider(server, false).startSession({});
    const rec = record(session);
    server.injectFault({ type: 'drop', during: 'now' });
    await rec.waitFor('error');
    const long = new Int16Array(24000 * 10.5).map((_, i) => Math.round(8000 * Math.sin(i / 7)));
    for (const frame of audioFrames(long)) session.sendAudio(frame);
    await rec.waitFor('reconnected');
    expect(rec.of('warning')).toEqual([
      {
        type: 'warning',
        code: 'audio-dropped',
        message: 'provider.openai-realtime: more than 10 s of user audio held while reconnecting; dropping the oldest',
      },
      {
        type: 'warning',
        code: 'audio-dropped',
        message: 'provider.openai-realtime: 500 ms of user audio dropped during the reconnection (more than 10 s held)',
      },
    ]);
    await until(() => appendedOn(server, 2).byteLength >= 10_000 * BYTES_PER_MS, 5000, '10 s on the new socket');
    const kept = long.subarray(24000 * 0.5);
    expect(appendedOn(server, 2).equals(Buffer.from(kept.buffer, kept.byteOffset, kept.byteLength))).toBe(true);
    await session.close();
  });

  it('without input transcription, the earlier user turn is replayed as its audio, before the assistant text', async () => {
    server = await startMockServer({
      apiKey: KEY,
      script: { replies: [{ text: 'Your order has shipped.' }, { text: 'Friday.' }], chunkIntervalMs: 2 },
    });
    const session = await provider(server, false).startSession({});
    const rec = record(session);
    const turn = firstTurn24k().slice(24000 * 0.5, 24000 * 1.5);
    for (const frame of audioFrames(turn)) session.sendAudio(frame);
    session.speechStopped(1000);
    await rec.waitFor('response-done');
    server.injectFault({ type: 'drop', during: 'now' });
    await rec.waitFor('reconnected');
    await until(() => server.received.filter((r) => r.connection === 2).length === 3, 5000, 'the replay');
    const replay = server.received.filter((r) => r.connection === 2).map((r) => r.event);
    expect(replay.map((e) => e.type)).toEqual([
      'session.update',
      'conversation.item.create',
      'conversation.item.create',
    ]);
    expect(replay[1]?.item).toEqual({
      type: 'message',
      role: 'user',
      content: [{ type: 'input_audio', audio: base64(turn) }],
    });
    expect(replay[2]?.item).toEqual({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'output_text', text: 'Your order has shipped.' }],
    });
    expect(rec.of('warning')).toEqual([]);
    await session.close();
  });

  it('says on the bus when earlier user turns can no longer be replayed (audio of the last 8 turns only)', async () => {
    server = await startMockServer({ apiKey: KEY, script: { replies: () => ({ text: 'Ok.' }), chunkIntervalMs: 1 } });
    const session = await provider(server, false).startSession({});
    const rec = record(session);
    const turn = firstTurn24k().slice(24000 * 0.5, 24000 * 0.7);
    for (let i = 1; i <= 9; i++) {
      for (const frame of audioFrames(turn)) session.sendAudio(frame);
      session.speechStopped(200 * i);
      await rec.waitFor('response-done', i);
    }
    server.injectFault({ type: 'drop', during: 'now' });
    await rec.waitFor('reconnected');
    expect(rec.of('warning')).toEqual([
      {
        type: 'warning',
        code: 'replay-incomplete',
        message:
          'provider.openai-realtime: 1 earlier user turn(s) could not be replayed to the new session (no transcript, and their audio is no longer kept); set inputTranscription to replay user turns as text',
      },
    ]);
    const created = () =>
      server.received.filter((r) => r.connection === 2 && r.event.type === 'conversation.item.create');
    await until(() => created().length === 17, 5000, '17 replayed items');
    const items = server.received
      .filter((r) => r.connection === 2 && r.event.type === 'conversation.item.create')
      .map((r) => (r.event.item as { role: string; content: { type: string }[] }).content[0]?.type);
    expect(items).toEqual(['output_text', ...Array.from({ length: 8 }, () => ['input_audio', 'output_text']).flat()]);
    await session.close();
  });
});
