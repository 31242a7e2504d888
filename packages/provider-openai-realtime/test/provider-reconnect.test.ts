import { afterEach, describe, expect, it } from 'vitest';
import { OpenAIRealtimeProvider } from '../src/index.js';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { record } from './support/session.js';

const KEY = 'sk-reconnect-0123456789abcdef';
const ORDER_TOOL = {
  name: 'lookup_order',
  description: 'Looks up an order',
  parameters: { type: 'object', properties: { order: { type: 'string' } }, required: ['order'] },
};
const reconnect = { maxAttempts: 3, initialDelayMs: 20, maxDelayMs: 100, jitter: 0.2 };

function eventsOn(server: MockServer, connection: number) {
  return server.received.filter((r) => r.connection === connection).map((r) => r.event);
}

describe('provider.openai-realtime: reconnection', () => {
  let server: MockServer;
  afterEach(() => server.close());

  it('after a drop mid-response: reconnects, replays the conversation as text, and the reply comes on the new socket', async () => {
    server = await startMockServer({
      apiKey: KEY,
      script: {
        replies: [{ text: 'Your order has shipped and will arrive soon.' }, { text: 'It arrives on Friday.' }],
        chunkIntervalMs: 5,
      },
    });
    const provider = new OpenAIRealtimeProvider({
      apiKey: KEY,
      baseUrl: server.baseUrl,
      reconnect,
      instructions: 'Be brief.',
    });
    const session = await provider.startSession({
      history: [{ type: 'message', role: 'user', text: 'Hi, I am Ada.' }],
    });
    const rec = record(session);
    server.injectFault({ type: 'drop', during: 'response', afterChunks: 2 });
    session.sendText('Where is my order?');

    const first = await rec.waitFor('response-start');
    const lost = await rec.waitFor('response-done');
    expect(lost).toEqual({ type: 'response-done', responseId: first.responseId, status: 'incomplete' });
    const [dropError] = rec.of('error');
    expect(dropError.error.code).toBe('connection');
    expect(dropError.error.fatal).toBe(false);
    const reconnected = await rec.waitFor('reconnected');
    expect(reconnected.attempt).toBe(1);
    expect(reconnected.gapMs).toBeGreaterThanOrEqual(0);
    const second = await rec.waitFor('response-done', 2);
    expect(second.status).toBe('completed');
    expect(rec.of('audio').some((a) => a.responseId === second.responseId)).toBe(true);

    const replay = eventsOn(server, 2);
    expect(replay.map((e) => e.type)).toEqual([
      'session.update',
      'conversation.item.create',
      'conversation.item.create',
      'response.create',
    ]);
    expect(replay[1].item).toEqual({
      type: 'message',
      role: 'user',
      content: [{ type: 'input_text', text: 'Hi, I am Ada.' }],
    });
    expect(replay[2].item).toEqual({
      type: 'message',
      role: 'user',
      content: [{ type: 'input_text', text: 'Where is my order?' }],
    });
    expect((replay[0].session as { instructions: string }).instructions).toBe('Be brief.');
    expect(server.connectionCount).toBe(2);

    // The conversation goes on: the earlier reply is now history, replayed as assistant text if the socket drops again.
    session.sendText('When exactly?');
    const third = await rec.waitFor('response-done', 3);
    expect(third.status).toBe('completed');
    await session.close();
    expect(rec.events.at(-1)).toEqual({ type: 'closed' });
  });

  it('keeps a tool call in flight: its result goes out after the reconnect as function_call + function_call_output, then response.create', async () => {
    server = await startMockServer({ apiKey: KEY, script: { replies: () => ({ text: 'Order A-1 has shipped.' }) } });
    const provider = new OpenAIRealtimeProvider({
      apiKey: KEY,
      baseUrl: server.baseUrl,
      reconnect,
      tools: [ORDER_TOOL],
      toolChoice: { type: 'function', name: 'lookup_order' },
    });
    const session = await provider.startSession({});
    const rec = record(session);
    session.sendText('Status of order A-1?');
    const call = await rec.waitFor('tool-call');
    await rec.waitFor('response-done');
    expect(call).toMatchObject({ name: 'lookup_order', arguments: '{"order":"example"}' });

    server.injectFault({ type: 'drop', during: 'now' });
    await rec.waitFor('error');
    // The tool finishes while the socket is down.
    session.sendToolResult({ id: call.id, output: '{"status":"shipped"}' });
    await rec.waitFor('reconnected');
    const reply = await rec.waitFor('response-done', 2);
    expect(reply.status).toBe('completed');
    expect(rec.of('transcript').find((t) => t.role === 'assistant' && t.final)?.text).toBe('Order A-1 has shipped.');

    const replay = eventsOn(server, 2);
    expect(replay.map((e) => e.type)).toEqual([
      'session.update',
      'conversation.item.create',
      'conversation.item.create',
      'conversation.item.create',
      'response.create',
    ]);
    expect(replay[2].item).toEqual({
      type: 'function_call',
      call_id: call.id,
      name: 'lookup_order',
      arguments: '{"order":"example"}',
    });
    expect(replay[3].item).toEqual({ type: 'function_call_output', call_id: call.id, output: '{"status":"shipped"}' });
    await session.close();
  });

  it('gives up with a fatal connection error after maxAttempts when the server stays away', async () => {
    server = await startMockServer({ apiKey: KEY });
    const provider = new OpenAIRealtimeProvider({
      apiKey: KEY,
      baseUrl: server.baseUrl,
      reconnect: { ...reconnect, maxAttempts: 2 },
      connectTimeoutMs: 500,
    });
    const session = await provider.startSession({});
    const rec = record(session);
    await server.close();
    const closed = await rec.waitFor('closed', 1, 5000);
    const fatal = rec.of('error').find((e) => e.error.fatal);
    expect(fatal?.error.code).toBe('connection');
    expect(fatal?.error.message).toContain('could not reconnect after 2 attempts');
    expect(closed.reason).toBe(fatal?.error.message);
    server = await startMockServer();
  });
});
