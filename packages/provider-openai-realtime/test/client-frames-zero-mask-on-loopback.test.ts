import { afterEach, describe, expect, it } from 'vitest';
import { OpenAIRealtimeProvider } from '../src/index.js';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { type TcpFront, tcpFront } from './support/tcp-front.js';

const KEY = 'sk-mask-0123456789abcdef';

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
  let front: TcpFront | undefined;
  afterEach(async () => {
    await front?.close();
    await mock?.close();
    front = undefined;
    mock = undefined;
  });

  it('masks (as RFC 6455 requires of a client) with the key 0, which the server accepts', async () => {
    mock = await startMockServer({ apiKey: KEY });
    front = await tcpFront(1, mock.port);
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
