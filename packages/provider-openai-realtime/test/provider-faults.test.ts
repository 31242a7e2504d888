import type { Logger } from '@beluga-voice/core';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAIRealtimeProvider } from '../src/index.js';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { record } from './support/session.js';

const KEY = 'sk-faults-0123456789abcdef';

function logsInto(lines: string[]): Logger {
  const push = (level: string) => (message: string) => lines.push(`${level}: ${message}`);
  return { debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}

describe('provider.openai-realtime under injected faults', () => {
  let server: MockServer;
  afterEach(() => server.close());

  it('reports a rate-limited response as a failed response and a non-fatal rate-limit error', async () => {
    server = await startMockServer({ apiKey: KEY });
    const session = await new OpenAIRealtimeProvider({ apiKey: KEY, baseUrl: server.baseUrl }).startSession({});
    const rec = record(session);
    server.injectFault({ type: 'rate-limit' });
    session.sendText('hello');
    const done = await rec.waitFor('response-done');
    expect(done.status).toBe('failed');
    const [error] = rec.of('error');
    expect(error.error.code).toBe('rate-limit');
    expect(error.error.fatal).toBe(false);
    expect(error.error.message).toBe(
      'provider.openai-realtime: rate limited: Rate limit reached for requests. Please try again in 1s. (rate_limit_exceeded)',
    );
    session.sendText('again');
    expect((await rec.waitFor('response-done', 2)).status).toBe('completed');
    await session.close();
  });

  it('ignores malformed and unknown server events and keeps going', async () => {
    server = await startMockServer({ apiKey: KEY });
    const logs: string[] = [];
    const session = await new OpenAIRealtimeProvider({ apiKey: KEY, baseUrl: server.baseUrl }).startSession(
      {},
      { logger: logsInto(logs) },
    );
    const rec = record(session);
    server.injectFault({ type: 'malformed' });
    session.sendText('hello');
    expect((await rec.waitFor('response-done')).status).toBe('completed');
    expect(logs).toContain('warn: malformed server event ignored: not JSON (49 chars)');
    expect(logs).toContain(
      'warn: malformed server event "response.output_audio.delta" ignored: response_id: Invalid input: expected string, received number',
    );
    expect(logs).toContain('debug: unknown server event "mock.unknown_event" ignored');
    expect(rec.of('error')).toEqual([]);
    await session.close();
  });

  it('reports a response that stays silent past responseTimeoutMs', async () => {
    server = await startMockServer({ apiKey: KEY });
    const session = await new OpenAIRealtimeProvider({
      apiKey: KEY,
      baseUrl: server.baseUrl,
      responseTimeoutMs: 100,
    }).startSession({});
    const rec = record(session);
    server.injectFault({ type: 'slow', firstAudioLatencyMs: 400 });
    session.sendText('hello');
    const start = await rec.waitFor('response-start');
    const [timeout] = [await rec.waitFor('error')];
    expect(timeout.error.code).toBe('timeout');
    expect(timeout.error.message).toBe(
      `provider.openai-realtime: no reply from the server for 100 ms (response ${start.responseId})`,
    );
    expect(await rec.waitFor('response-done')).toMatchObject({ responseId: start.responseId, status: 'failed' });
    // The late audio of the abandoned response does not leak out.
    await new Promise((r) => setTimeout(r, 500));
    expect(rec.of('audio')).toEqual([]);
    await session.close();
  });

  it('sends tool results while a response is active, and one response.create only after response.done', async () => {
    server = await startMockServer({
      apiKey: KEY,
      script: {
        replies: [{ text: 'Let me check.', functionCall: { name: 'lookup_order' } }, { text: 'Shipped.' }],
        chunkIntervalMs: 10,
      },
    });
    const provider = new OpenAIRealtimeProvider({
      apiKey: KEY,
      baseUrl: server.baseUrl,
      tools: [
        {
          name: 'lookup_order',
          description: 'Looks up an order',
          parameters: { type: 'object', properties: { order: { type: 'string' } }, required: ['order'] },
        },
      ],
    });
    const session = await provider.startSession({});
    const rec = record(session);
    let answeredWhileActive = false;
    session.events$.subscribe((e) => {
      if (e.type !== 'tool-call') return;
      // Answer at once, inside the response that made the call (before its response.done).
      answeredWhileActive = rec.of('response-done').length === 0;
      session.sendToolResult({ id: e.id, output: '{"status":"shipped"}' });
    });
    session.sendText('Where is my order?');
    const second = await rec.waitFor('response-done', 2);
    expect(answeredWhileActive).toBe(true);
    expect(second.status).toBe('completed');
    const types = server.received.map((r) => r.event.type);
    expect(types.filter((t) => t === 'response.create')).toHaveLength(2);
    const output = types.lastIndexOf('conversation.item.create');
    expect(types.slice(output)).toEqual(['conversation.item.create', 'response.create']);
    expect(rec.of('error')).toEqual([]);
    await session.close();
  });
});
