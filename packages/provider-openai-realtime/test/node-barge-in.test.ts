import type { Frame } from '@beluga-voice/core';
import { runNode } from '@beluga-voice/core/testing';
import { merge, Subject } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { openaiRealtimeNode } from '../src/index.js';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { firstTurn24k, until } from './support/fixtures.js';
import { audioFrames } from './support/session.js';

const KEY = 'sk-node-barge-in-0123456789abcdef';

describe('provider.openai-realtime node: barge-in from the pacer position', () => {
  let server: MockServer;
  afterEach(() => server.close());

  it('truncates at the playedMs the pacer reported when the server hears the user again', async () => {
    server = await startMockServer({
      apiKey: KEY,
      script: {
        replies: () => ({ text: 'A long reply.', audio: { tone: { frequencyHz: 330, durationMs: 3000 } } }),
        chunkIntervalMs: 15,
      },
    });
    const mic = new Subject<Frame>();
    const harness = await runNode(openaiRealtimeNode, {
      id: 'agent',
      config: { apiKey: KEY, baseUrl: server.baseUrl },
      inputs: { audio: mic },
    });
    const frames: Frame[] = [];
    const outputs = harness.outputs;
    const sub = merge(outputs.audio!, outputs.events!, outputs.transcripts!).subscribe((f) => frames.push(f));
    // The node takes audio once its session is up (it logs session-started).
    const started = () => harness.events.some((e) => e.type === 'log' && e.message.endsWith('session-started'));
    await until(started, 5000, 'the session to start');

    for (const frame of audioFrames(firstTurn24k())) mic.next(frame);
    await until(() => frames.filter((f) => f.kind === 'audio').length >= 4, 5000, 'reply audio');
    const responseId = (frames.find((f) => f.kind === 'audio') as { responseId: string }).responseId;
    // The pacer has played 180 ms of the reply when the user speaks again.
    harness.sendControl({ type: 'playout', source: 'pace', responseId, playedMs: 180 });
    for (const frame of audioFrames(firstTurn24k().subarray(0, 24000 * 2))) mic.next(frame);

    const truncate = (await server.waitForClientEvent('conversation.item.truncate')).event;
    expect(truncate.audio_end_ms).toBe(180);
    expect(harness.control).toContainEqual({ type: 'interrupt', source: 'agent', responseId, reason: 'barge-in' });
    await until(() => frames.some((f) => f.kind === 'response-done'), 5000, 'response-done');
    expect(frames.find((f) => f.kind === 'response-done')).toMatchObject({ responseId, status: 'cancelled' });
    const speechStarts = frames.filter((f) => f.kind === 'speech-start');
    expect(speechStarts.map((f) => (f as { source: string }).source)).toEqual(['server', 'server']);
    expect(harness.events.filter((e) => e.type === 'error')).toEqual([]);
    sub.unsubscribe();
    await harness.close();
    await until(() => server.openConnections === 0, 2000, 'the socket to close');
  });
});
