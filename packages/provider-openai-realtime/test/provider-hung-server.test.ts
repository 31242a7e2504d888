import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { S2SError } from '@beluga-voice/core';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAIRealtimeProvider } from '../src/index.js';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { record } from './support/session.js';

const KEY = 'sk-hung-0123456789abcdef';

interface HungFront {
  readonly url: string;
  /** Connections accepted and never answered. */
  readonly held: Socket[];
  /** Held connections the client has since given up. */
  readonly closed: Socket[];
  close(): Promise<void>;
}

/**
 * A TCP front that accepts every connection: the first `forward` are piped to the mock on
 * `target`, the rest are held open and never answered (a hung proxy or load balancer).
 */
async function hungFront(forward = 0, target?: number): Promise<HungFront> {
  const held: Socket[] = [];
  const piped: Socket[] = [];
  const closed: Socket[] = [];
  let seen = 0;
  const server: Server = createServer((socket) => {
    socket.on('error', () => undefined);
    if (seen++ < forward && target !== undefined) {
      const up = connect(target, '127.0.0.1');
      up.on('error', () => socket.destroy());
      socket.pipe(up).pipe(socket);
      piped.push(socket, up);
      return;
    }
    // Read the upgrade request and never answer it.
    socket.resume();
    socket.on('close', () => closed.push(socket));
    held.push(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/v1`,
    held,
    closed,
    close: () => {
      for (const s of [...held, ...piped]) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('provider.openai-realtime: a server that accepts TCP and never answers the upgrade', () => {
  let front: HungFront | undefined;
  let mock: MockServer | undefined;
  afterEach(async () => {
    await front?.close();
    await mock?.close();
    front = undefined;
    mock = undefined;
  });

  it('first connect: startSession rejects once with a timeout naming the host, after the allowed retries', async () => {
    front = await hungFront();
    const provider = new OpenAIRealtimeProvider({
      apiKey: KEY,
      baseUrl: front.url,
      connectTimeoutMs: 150,
      reconnect: { maxAttempts: 1, initialDelayMs: 10, maxDelayMs: 10, jitter: 0 },
    });
    const error = await provider.startSession({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(S2SError);
    const host = new URL(front.url).host;
    expect(error).toMatchObject({
      code: 'timeout',
      fatal: false,
      message: `provider.openai-realtime: no connection to ${host} within 150 ms`,
    });
    expect(front.held).toHaveLength(2);
    // Every held connection was given up by the client.
    await new Promise((r) => setTimeout(r, 50));
    expect(front.closed).toHaveLength(2);
  });

  it('mid-conversation: the reconnect attempts time out one by one and the session ends with one fatal error', async () => {
    mock = await startMockServer({ apiKey: KEY });
    front = await hungFront(1, mock.port);
    const provider = new OpenAIRealtimeProvider({
      apiKey: KEY,
      baseUrl: front.url,
      connectTimeoutMs: 150,
      reconnect: { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 20, jitter: 0 },
    });
    const session = await provider.startSession({});
    const rec = record(session);
    mock.injectFault({ type: 'drop', during: 'now' });
    const closed = await rec.waitFor('closed', 1, 5000);
    expect(front.held).toHaveLength(2);
    const errors = rec.of('error').map((e) => [e.error.code, e.error.fatal, e.error.message]);
    expect(errors).toEqual([
      ['connection', false, 'provider.openai-realtime: connection lost (close 1006); reconnecting'],
      [
        'connection',
        true,
        'provider.openai-realtime: could not reconnect after 2 attempts (provider.openai-realtime: connection lost (close 1006); reconnecting)',
      ],
    ]);
    expect(closed.reason).toBe(errors[1]?.[2]);
  });
});
