import type { Logger, S2SEvent, S2SSession } from '@beluga-voice/core';
import { SessionProbe } from '@beluga-voice/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { GeminiLiveProvider } from '../src/index.js';
import { type GeminiMockServer, startGeminiMockServer } from '../src/mock/index.js';
import { utteranceFrames } from './support/fixtures.js';

const KEY = 'AIza-barge-0123456789';
let server: GeminiMockServer;
let session: S2SSession;
let probe: SessionProbe;

afterEach(async () => {
  await session.close();
  probe.dispose();
  await server.close();
});

const LONG = 'This is a long answer that goes on and on, long enough to be interrupted in the middle of it.';

describe('provider.gemini-live: barge-in and tool call cancellation', () => {
  it('server-detected speech over the reply: interrupted stops its audio at once and reports speech-start', async () => {
    server = await startGeminiMockServer({ apiKey: KEY, script: { replies: [{ text: LONG }], chunkIntervalMs: 20 } });
    session = await new GeminiLiveProvider({ apiKey: KEY, baseUrl: server.url }).startSession({});
    probe = new SessionProbe(session, 10_000);
    session.sendText('Tell me a story.');
    const first = await probe.waitFor<Extract<S2SEvent, { type: 'audio' }>>('audio', (e) => e.type === 'audio');
    for (const frame of utteranceFrames()) session.sendAudio(frame);
    const done = await probe.waitFor<Extract<S2SEvent, { type: 'response-done' }>>(
      'cancelled reply',
      (e) => e.type === 'response-done' && e.responseId === first.responseId,
    );
    expect(done.status).toBe('cancelled');
    const at = probe.events.indexOf(done);
    expect(probe.events[at - 1]?.type).toBe('speech-start');
    await new Promise((r) => setTimeout(r, 300));
    expect(probe.events.slice(at).filter((e) => e.type === 'audio' && e.responseId === first.responseId)).toEqual([]);
    // The mock keeps what was spoken before the interruption, as the service does.
    const context = server.connections[0].context;
    const kept = context.find((l) => l.startsWith('model: '));
    expect(kept && LONG.startsWith(kept.slice('model: '.length))).toBe(true);
    expect(kept?.length).toBeLessThan(`model: ${LONG}`.length);
  });

  it('toolCallCancellation: reported for the tool router to stop the call; its late result is not sent', async () => {
    server = await startGeminiMockServer({ apiKey: KEY });
    const logs: string[] = [];
    const logger: Logger = {
      debug: (m) => logs.push(m),
      info: (m) => logs.push(m),
      warn: (m) => logs.push(m),
      error: (m) => logs.push(m),
    };
    const tool = {
      name: 'lookup_order',
      description: 'Looks up an order',
      parameters: { type: 'object', properties: { order: { type: 'string' } }, required: ['order'] },
    };
    session = await new GeminiLiveProvider({ apiKey: KEY, baseUrl: server.url, tools: [tool] }).startSession(
      {},
      { logger },
    );
    probe = new SessionProbe(session, 10_000);
    session.sendText('Where is my order?');
    const call = await probe.waitFor<Extract<S2SEvent, { type: 'tool-call' }>>(
      'tool call',
      (e) => e.type === 'tool-call',
    );
    expect([call.name, JSON.parse(call.arguments)]).toEqual(['lookup_order', { order: expect.any(String) }]);
    server.injectFault({ type: 'cancel-tool-calls' });
    const withdrawn = await probe.waitFor('cancellation', (e) => e.type === 'tool-calls-cancelled');
    expect(withdrawn).toEqual({ type: 'tool-calls-cancelled', ids: [call.id] });
    session.sendToolResult({ id: call.id, output: '{"status":"shipped"}' });
    await new Promise((r) => setTimeout(r, 100));
    expect(server.received.filter((m) => m.toolResponse)).toEqual([]);
    expect(logs).toContain(`tool call ${call.id} (lookup_order) cancelled by the server; its result will not be sent`);
    expect(server.openConnections).toBe(1);
  });
});
