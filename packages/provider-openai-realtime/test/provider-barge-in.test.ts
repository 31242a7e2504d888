import type { S2SEvent } from '@beluga-voice/core';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAIRealtimeProvider } from '../src/index.js';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { firstTurn24k, until } from './support/fixtures.js';
import { audioFrames, type Recorder, record } from './support/session.js';

const KEY = 'sk-barge-in-0123456789abcdef';
/** A 3 s reply sent as 100 ms deltas every 15 ms: still generating when the test interrupts. */
const LONG_REPLY = {
  replies: () => ({
    text: 'This is a long answer that goes on and on.',
    audio: { tone: { frequencyHz: 330, durationMs: 3000 } },
  }),
  chunkIntervalMs: 15,
};

function audioMs(events: readonly S2SEvent[], responseId: string): number {
  return events
    .filter((e): e is Extract<S2SEvent, { type: 'audio' }> => e.type === 'audio' && e.responseId === responseId)
    .reduce((ms, e) => ms + (e.frame.samples.length / 24000) * 1000, 0);
}

function sentOfType(server: MockServer, type: string) {
  return server.received.filter((r) => r.event.type === type).map((r) => r.event);
}

describe('provider.openai-realtime: barge-in', () => {
  let server: MockServer;
  afterEach(() => server.close());

  async function openSession(turnDetection?: { type: 'none' }) {
    server = await startMockServer({ apiKey: KEY, script: LONG_REPLY });
    const provider = new OpenAIRealtimeProvider({
      apiKey: KEY,
      baseUrl: server.baseUrl,
      ...(turnDetection ? { turnDetection } : {}),
    });
    const session = await provider.startSession({});
    return { session, rec: record(session) };
  }

  async function speakAndWaitForAudio(
    session: Awaited<ReturnType<typeof openSession>>['session'],
    rec: Recorder,
    minMs: number,
  ) {
    for (const frame of audioFrames(firstTurn24k())) session.sendAudio(frame);
    const start = await rec.waitFor('response-start');
    await until(() => audioMs(rec.events, start.responseId) >= minMs, 5000, `${minMs} ms of reply audio`);
    return start.responseId;
  }

  it('truncates at the played position, cancels the response and drops its late audio', async () => {
    const { session, rec } = await openSession();
    const responseId = await speakAndWaitForAudio(session, rec, 500);
    const cutAt = rec.events.length;
    const result = session.interrupt({ playedMs: 234.7 });

    expect(result).toEqual({ responseId, playedMs: 234 });
    const done = await rec.waitFor('response-done');
    expect(done).toMatchObject({ responseId, status: 'cancelled' });
    const after = rec.events.slice(cutAt);
    expect(after.filter((e) => e.type === 'audio')).toEqual([]);
    expect(after.filter((e) => e.type === 'transcript')).toEqual([]);
    expect(after.find((e) => e.type === 'interrupted')).toEqual({ type: 'interrupted', responseId, playedMs: 234 });

    await server.waitForClientEvent('conversation.item.truncate');
    const [cancel] = sentOfType(server, 'response.cancel');
    expect(cancel).toMatchObject({ response_id: responseId });
    const [truncate] = sentOfType(server, 'conversation.item.truncate');
    const itemId = rec.of('audio')[0].itemId;
    expect(truncate).toMatchObject({ item_id: itemId, content_index: 0, audio_end_ms: 234 });
    expect(sentOfType(server, 'conversation.item.delete')).toEqual([]);
    // The mock accepted the truncation: no error came back.
    await new Promise((r) => setTimeout(r, 50));
    expect(rec.of('error')).toEqual([]);
    expect(session.interrupt({ playedMs: 100 })).toBeNull();
    await session.close();
  });

  it('clamps a played position beyond the received audio to what was received (floor)', async () => {
    const { session, rec } = await openSession();
    const responseId = await speakAndWaitForAudio(session, rec, 300);
    const received = audioMs(rec.events, responseId);
    const result = session.interrupt({ playedMs: 60_000 });
    expect(result).toEqual({ responseId, playedMs: Math.floor(received) });
    const truncate = (await server.waitForClientEvent('conversation.item.truncate')).event;
    expect(truncate.audio_end_ms).toBe(Math.floor(received));
    await rec.waitFor('response-done');
    await new Promise((r) => setTimeout(r, 50));
    expect(rec.of('error')).toEqual([]);
    await session.close();
  });

  it('deletes the item instead of truncating at 0 ms when nothing was heard', async () => {
    const { session, rec } = await openSession();
    const responseId = await speakAndWaitForAudio(session, rec, 100);
    expect(session.interrupt({ playedMs: 0 })).toEqual({ responseId, playedMs: 0 });
    const deleted = (await server.waitForClientEvent('conversation.item.delete')).event;
    expect(deleted.item_id).toBe(rec.of('audio')[0].itemId);
    expect(sentOfType(server, 'conversation.item.truncate')).toEqual([]);
    await rec.waitFor('response-done');
    await session.close();
  });

  it('does not truncate a reply that was fully played', async () => {
    const { session, rec } = await openSession();
    await speakAndWaitForAudio(session, rec, 100);
    const done = await rec.waitFor('response-done');
    expect(session.interrupt({ playedMs: audioMs(rec.events, done.responseId) })).toBeNull();
    await new Promise((r) => setTimeout(r, 50));
    expect(sentOfType(server, 'conversation.item.truncate')).toEqual([]);
    expect(sentOfType(server, 'response.cancel')).toEqual([]);
    await session.close();
  });

  it('leaves cancelling to the server when its VAD heard the user (interrupt_response), and still truncates', async () => {
    const { session, rec } = await openSession();
    const responseId = await speakAndWaitForAudio(session, rec, 300);
    // The user speaks again: the mock's VAD starts a turn and cancels the response by itself.
    const again = audioFrames(firstTurn24k().subarray(0, 24000 * 2));
    for (const frame of again) session.sendAudio(frame);
    await rec.waitFor('speech-start', 2);
    const result = session.interrupt({ playedMs: 150 });
    expect(result).toEqual({ responseId, playedMs: 150 });
    const done = await rec.waitFor('response-done');
    expect(done.status).toBe('cancelled');
    expect((await server.waitForClientEvent('conversation.item.truncate')).event.audio_end_ms).toBe(150);
    expect(sentOfType(server, 'response.cancel')).toEqual([]);
    await session.close();
  });

  it('push-to-talk (turnDetection none): commits and asks for a reply on speech stop, cancels itself on interrupt', async () => {
    const { session, rec } = await openSession({ type: 'none' });
    session.speechStarted(500);
    for (const frame of audioFrames(firstTurn24k().subarray(0, 24000 * 2.7))) session.sendAudio(frame);
    session.speechStopped(2600);
    await server.waitForClientEvent('response.create');
    const sent = server.received.map((r) => r.event.type);
    expect(sent.slice(-2)).toEqual(['input_audio_buffer.commit', 'response.create']);
    const start = await rec.waitFor('response-start');
    await until(() => audioMs(rec.events, start.responseId) >= 200, 5000, 'reply audio');
    expect(rec.of('speech-start')).toEqual([]);
    session.interrupt({ playedMs: 120 });
    expect((await server.waitForClientEvent('response.cancel')).event.response_id).toBe(start.responseId);
    expect((await server.waitForClientEvent('conversation.item.truncate')).event.audio_end_ms).toBe(120);
    expect((await rec.waitFor('response-done')).status).toBe('cancelled');
    await session.close();
  });
});
