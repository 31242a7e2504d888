import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { rawClient } from './support/raw-client.js';

const KEY = 'sk-mock-auth-0123456789abcdef';

describe('mock: connection, authentication and protocol selection', () => {
  let server: MockServer;
  afterEach(() => server.close());

  it('accepts the key as a browser subprotocol and echoes "realtime"', async () => {
    server = await startMockServer({ apiKey: KEY });
    const client = await rawClient(server.url, {
      protocols: ['realtime', `openai-insecure-api-key.${KEY}`, 'openai-agents-sdk.1.0'],
    });
    expect(client.socket.protocol).toBe('realtime');
    expect((await client.next('session.created')).session).toMatchObject({
      type: 'realtime',
      object: 'realtime.session',
      model: 'gpt-realtime',
    });
    client.socket.close();
  });

  it('speaks beta to a subprotocol beta client', async () => {
    server = await startMockServer({ apiKey: KEY });
    const client = await rawClient(server.url, {
      protocols: ['realtime', `openai-insecure-api-key.${KEY}`, 'openai-beta.realtime-v1'],
    });
    const session = (await client.next('session.created')).session as Record<string, unknown>;
    expect(session.type).toBeUndefined();
    expect(session).toMatchObject({
      object: 'realtime.session',
      modalities: ['text', 'audio'],
      voice: 'alloy',
      temperature: 0.8,
    });
    client.socket.close();
  });

  it('sends an error then closes 3000 for a wrong key', async () => {
    server = await startMockServer({ apiKey: KEY });
    const client = await rawClient(server.url, { key: 'sk-wrong-0123456789abcdef' });
    const closed = await client.closed;
    expect(closed).toEqual({ code: 3000, reason: 'invalid_request_error.invalid_api_key' });
    expect(client.events.map((e) => e.type)).toEqual(['error']);
    expect(client.events[0].error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key' });
    expect(JSON.stringify(client.events)).not.toContain('sk-wrong-0123456789abcdef');
  });

  it('refuses a connection without any key, whatever the server key', async () => {
    server = await startMockServer();
    const client = await rawClient(server.url);
    expect((await client.closed).code).toBe(3000);
    expect(client.events[0].error).toMatchObject({
      code: null,
      message: 'Missing bearer or basic authentication in header',
    });
  });

  it('refuses beta clients with close 4000 when started with protocol ga, as the service does today', async () => {
    server = await startMockServer({ protocol: 'ga' });
    const client = await rawClient(server.url, { key: 'k', beta: true });
    expect(await client.closed).toEqual({ code: 4000, reason: 'invalid_request_error.beta_api_shape_disabled' });
  });

  it('answers HTTP errors for a wrong path or a missing model', async () => {
    server = await startMockServer();
    const status = (url: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url, { headers: { Authorization: 'Bearer k' } });
        ws.on('unexpected-response', (_req, res) => {
          resolve(res.statusCode ?? 0);
          ws.terminate();
        });
        ws.on('error', () => undefined);
      });
    expect(await status(`ws://127.0.0.1:${server.port}/v1/other?model=x`)).toBe(404);
    expect(await status(`ws://127.0.0.1:${server.port}/v1/realtime`)).toBe(400);
    expect(await status(`ws://127.0.0.1:${server.port}/v1/realtime?model=x&call_id=y`)).toBe(400);
  });
});
