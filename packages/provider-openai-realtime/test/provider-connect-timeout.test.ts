import type { AddressInfo } from 'node:net';
import { S2SError } from '@beluga-voice/core';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { OpenAIRealtimeProvider } from '../src/index.js';

describe('provider.openai-realtime: connect timeout', () => {
  let wss: WebSocketServer;
  afterEach(() => new Promise<void>((resolve) => wss.close(() => resolve())));

  it('gives up on a server that never sends session.created, after the retries the policy allows', async () => {
    let connections = 0;
    wss = await new Promise<WebSocketServer>((resolve) => {
      const server: WebSocketServer = new WebSocketServer({ host: '127.0.0.1', port: 0 }, () => resolve(server));
    });
    wss.on('connection', () => connections++);
    const port = (wss.address() as AddressInfo).port;
    const provider = new OpenAIRealtimeProvider({
      apiKey: 'k-0123456789',
      baseUrl: `ws://127.0.0.1:${port}/v1`,
      connectTimeoutMs: 100,
      reconnect: { maxAttempts: 1, initialDelayMs: 10, maxDelayMs: 10, jitter: 0 },
    });
    const error = await provider.startSession({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(S2SError);
    expect(error).toMatchObject({
      code: 'timeout',
      fatal: false,
      message: 'provider.openai-realtime: no session.created within 100 ms',
    });
    expect(connections).toBe(2);
    await new Promise((r) => setTimeout(r, 50));
    expect(wss.clients.size).toBe(0);
  });
});
