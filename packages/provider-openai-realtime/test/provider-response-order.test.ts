import { afterEach, describe, expect, it } from 'vitest';
import { OpenAIRealtimeProvider } from '../src/index.js';
import { type ScriptedServer, scriptedServer } from './support/scripted-server.js';
import { record } from './support/session.js';

const KEY = 'sk-order-0123456789abcdef';
const response = (id: string, status: string) => ({ id, object: 'realtime.response', status, output: [] });

describe('provider.openai-realtime: responses out of order and stalled', () => {
  let server: ScriptedServer;
  afterEach(() => server.close());

  it('a second response.created before the first response.done ends the first as incomplete, with a warning', async () => {
    server = await scriptedServer((event, send) => {
      if (event.type !== 'response.create') return;
      send({ type: 'response.created', response: response('resp_A', 'in_progress') });
      send({ type: 'response.created', response: response('resp_B', 'in_progress') });
      send({ type: 'response.done', response: response('resp_B', 'completed') });
      // The first one's done arrives late: it is already over, nothing changes.
      send({ type: 'response.done', response: response('resp_A', 'completed') });
    });
    const session = await new OpenAIRealtimeProvider({ apiKey: KEY, baseUrl: server.baseUrl }).startSession({});
    const rec = record(session);
    session.sendText('hello');
    await rec.waitFor('response-done', 2);
    await new Promise((r) => setTimeout(r, 50));
    expect(rec.events.filter((e) => e.type !== 'session-started')).toEqual([
      { type: 'response-start', responseId: 'resp_A' },
      {
        type: 'warning',
        code: 'protocol-order',
        message:
          'provider.openai-realtime: response resp_B was created before response resp_A was done; ending resp_A as incomplete',
      },
      { type: 'response-done', responseId: 'resp_A', status: 'incomplete' },
      { type: 'response-start', responseId: 'resp_B' },
      { type: 'response-done', responseId: 'resp_B', status: 'completed' },
    ]);
    await session.close();
  });

  it('the response watchdog fires while unrelated server events (speech detection) keep arriving', async () => {
    let ticker: NodeJS.Timeout | undefined;
    let sent = 0;
    server = await scriptedServer((event, send) => {
      if (event.type !== 'response.create') return;
      send({ type: 'response.created', response: response('resp_stalled', 'in_progress') });
      // The response never moves again; speech detection events keep coming every 20 ms for 3 s.
      ticker = setInterval(() => {
        if (++sent > 150) return clearInterval(ticker);
        const type = sent % 2 ? 'input_audio_buffer.speech_started' : 'input_audio_buffer.speech_stopped';
        send({ type, audio_start_ms: sent * 20, audio_end_ms: sent * 20, item_id: `item_${sent}` });
      }, 20);
    });
    const session = await new OpenAIRealtimeProvider({
      apiKey: KEY,
      baseUrl: server.baseUrl,
      responseTimeoutMs: 200,
    }).startSession({});
    const rec = record(session);
    session.sendText('hello');
    const timeout = await rec.waitFor('error', 1, 5000);
    const firedAfter = sent;
    clearInterval(ticker);
    expect(timeout.error.message).toBe(
      'provider.openai-realtime: no reply from the server for 200 ms (response resp_stalled)',
    );
    expect(await rec.waitFor('response-done')).toEqual({
      type: 'response-done',
      responseId: 'resp_stalled',
      status: 'failed',
    });
    // Reported while the unrelated events were still flowing, not after they stopped.
    expect(firedAfter).toBeLessThan(150);
    expect(rec.of('speech-start').length).toBeGreaterThan(0);
    await session.close();
  });
});
