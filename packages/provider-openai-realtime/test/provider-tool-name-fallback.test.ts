import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { OpenAIRealtimeProvider } from '../src/index.js';
import { record } from './support/session.js';

/**
 * A scripted server whose `function_call_arguments.done` carries no `name` (the agents SDK's
 * schema allows that): the provider takes it from `response.output_item.added`.
 */
function serverWithoutNameOnDone(): Promise<WebSocketServer> {
  return new Promise((resolve) => {
    const wss: WebSocketServer = new WebSocketServer({ host: '127.0.0.1', port: 0 }, () => resolve(wss));
    wss.on('connection', (ws: WebSocket) => {
      const send = (e: Record<string, unknown>) => ws.send(JSON.stringify({ event_id: 'event_1', ...e }));
      send({ type: 'session.created', session: { id: 'sess_fake' } });
      ws.on('message', (data: Buffer) => {
        const event = JSON.parse(data.toString());
        if (event.type === 'session.update') send({ type: 'session.updated', session: { id: 'sess_fake' } });
        if (event.type !== 'response.create') return;
        const ids = { response_id: 'resp_1', item_id: 'item_f', output_index: 0, call_id: 'call_1' };
        send({ type: 'response.created', response: { id: 'resp_1', status: 'in_progress', output: [], usage: null } });
        send({
          type: 'response.output_item.added',
          response_id: 'resp_1',
          output_index: 0,
          item: {
            id: 'item_f',
            type: 'function_call',
            status: 'in_progress',
            name: 'get_time',
            call_id: 'call_1',
            arguments: '',
          },
        });
        send({ type: 'response.function_call_arguments.done', ...ids, arguments: '{"zone":"UTC"}' });
        send({
          type: 'response.done',
          response: {
            id: 'resp_1',
            status: 'completed',
            output: [],
            usage: { total_tokens: 3, input_tokens: 2, output_tokens: 1 },
          },
        });
      });
    });
  });
}

describe('provider.openai-realtime: tool-call name', () => {
  let wss: WebSocketServer;
  afterEach(() => new Promise<void>((resolve) => wss.close(() => resolve())));

  it('comes from response.output_item.added when function_call_arguments.done has none', async () => {
    wss = await serverWithoutNameOnDone();
    const port = (wss.address() as AddressInfo).port;
    const session = await new OpenAIRealtimeProvider({
      apiKey: 'k-0123456789',
      baseUrl: `ws://127.0.0.1:${port}/v1`,
    }).startSession({});
    const rec = record(session);
    session.sendText('What time is it?');
    expect(await rec.waitFor('tool-call')).toEqual({
      type: 'tool-call',
      id: 'call_1',
      name: 'get_time',
      arguments: '{"zone":"UTC"}',
      responseId: 'resp_1',
    });
    expect(await rec.waitFor('response-done')).toEqual({
      type: 'response-done',
      responseId: 'resp_1',
      status: 'completed',
      usage: { inputTokens: 2, outputTokens: 1, totalTokens: 3 },
    });
    await session.close();
  });
});
