import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAIRealtimeProvider } from '../src/index.js';
import { type MockServer, startMockServer } from '../src/mock/index.js';

const KEY = 'sk-mask-0123456789abcdef';

/** A TCP tap in front of the mock: pipes both ways and keeps what the client sent. */
async function tap(target: number): Promise<{ url: string; sent: () => Buffer; close(): Promise<void> }> {
  const chunks: Buffer[] = [];
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    const up = connect(target, '127.0.0.1');
    for (const s of [socket, up]) s.on('error', () => undefined);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.pipe(up).pipe(socket);
    sockets.push(socket, up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/v1`,
    sent: () => Buffer.concat(chunks),
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** The first WebSocket frame after the upgrade request: its mask bit, key and unmasked text. */
function firstFrame(bytes: Buffer): { masked: boolean; key: number[]; text: string } {
  let at = bytes.indexOf('\r\n\r\n') + 4;
  const second = bytes[at + 1];
  let length = second & 0x7f;
  at += 2;
  if (length === 126) {
    length = bytes.readUInt16BE(at);
    at += 2;
  } else if (length === 127) {
    length = Number(bytes.readBigUInt64BE(at));
    at += 8;
  }
  const key = [...bytes.subarray(at, at + 4)];
  const payload = bytes.subarray(at + 4, at + 4 + length).map((b, i) => b ^ key[i % 4]);
  return { masked: (second & 0x80) !== 0, key, text: Buffer.from(payload).toString('utf8') };
}

describe('provider.openai-realtime on loopback: client frames carry a zero mask key', () => {
  let mock: MockServer | undefined;
  let front: Awaited<ReturnType<typeof tap>> | undefined;
  afterEach(async () => {
    await front?.close();
    await mock?.close();
    front = undefined;
    mock = undefined;
  });

  it('masks (as RFC 6455 requires of a client) with the key 0, which the server accepts', async () => {
    mock = await startMockServer({ apiKey: KEY });
    front = await tap(mock.port);
    const session = await new OpenAIRealtimeProvider({ apiKey: KEY, baseUrl: front.url }).startSession({});
    await mock.waitForClientEvent('session.update');
    await session.close();
    const frame = firstFrame(front.sent());
    expect(frame.masked).toBe(true);
    expect(frame.key).toEqual([0, 0, 0, 0]);
    // Sent as is: the frame on the wire is the event's JSON in plain text.
    expect(JSON.parse(frame.text)).toMatchObject({ type: 'session.update' });
  });
});
