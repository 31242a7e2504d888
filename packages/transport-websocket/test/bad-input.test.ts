import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { simulateTwilioCall } from '@beluga-voice/transport-websocket/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureSamples } from './support/fixtures.js';
import { examples, type ServeProcess, startServe } from './support/serve-process.js';
import { connect, getJson, isOpen, type OpenClient } from './support/ws-client.js';

const START = {
  event: 'start',
  streamSid: 'MZ1',
  start: {
    streamSid: 'MZ1',
    callSid: 'CA1',
    accountSid: 'AC1',
    tracks: ['inbound'],
    customParameters: {},
    mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
  },
};

describe('beluga serve against bad input', () => {
  let serve: ServeProcess;
  let twilio: string;

  beforeAll(async () => {
    serve = await startServe([join(examples, 'twilio-echo.yaml')]);
    twilio = `${serve.url.replace('http', 'ws')}/twilio`;
  });
  afterAll(() => serve.kill('SIGKILL'));

  async function closeAfter(...messages: Array<string | Buffer>): Promise<{ code: number; reason: string }> {
    const client = (await connect(twilio)) as OpenClient;
    for (const message of messages) client.ws.send(message);
    return client.closed;
  }

  it.each([
    [
      'garbage binary',
      [Buffer.from([0xde, 0xad, 0xbe, 0xef])],
      1003,
      'binary message: Twilio Media Streams sends JSON text',
    ],
    ['text that is not JSON', ['{"event": "media", '], 1007, 'malformed message: not JSON (19 chars)'],
    [
      'an unknown event',
      [JSON.stringify({ event: 'hello' })],
      1007,
      'unknown event "hello" (expected one of connected, start, media, mark, dtmf, stop)',
    ],
    [
      'media before start',
      [JSON.stringify({ event: 'media', media: { payload: '' } })],
      1008,
      'media event before the start event',
    ],
    [
      'a payload that is not base64',
      [JSON.stringify(START), JSON.stringify({ event: 'media', media: { track: 'inbound', payload: '!!!!' } })],
      1007,
      'malformed media event: media.payload is not base64',
    ],
    [
      'a start without mediaFormat',
      [JSON.stringify({ ...START, start: { ...START.start, mediaFormat: undefined } })],
      1007,
      'malformed start event: start.mediaFormat: Invalid input: expected object, received undefined',
    ],
    [
      'a format other than μ-law 8 kHz',
      [
        JSON.stringify({
          ...START,
          start: { ...START.start, mediaFormat: { encoding: 'audio/x-l16', sampleRate: 16000, channels: 1 } },
        }),
      ],
      1003,
      'unsupported mediaFormat audio/x-l16 16000 Hz 1 ch (expected audio/x-mulaw 8000 Hz mono)',
    ],
  ])('%s: closed with a reason that names it', async (_name, messages, code, reason) => {
    expect(await closeAfter(...(messages as Array<string | Buffer>))).toEqual({ code, reason });
  });

  it('an oversized message: closed with 1009', async () => {
    const closed = await closeAfter(JSON.stringify({ event: 'media', media: { payload: 'A'.repeat(100_000) } }));
    expect(closed.code).toBe(1009);
  });

  it('a flood of messages: closed for its rate', async () => {
    const media = JSON.stringify({
      event: 'media',
      streamSid: 'MZ1',
      media: { track: 'inbound', payload: Buffer.alloc(160, 0xff).toString('base64') },
    });
    // Past the burst allowance (5 s at 200 a second) in one go.
    const closed = await closeAfter(JSON.stringify(START), ...Array.from({ length: 1200 }, () => media));
    expect(closed).toEqual({ code: 1008, reason: 'more than 200 messages a second' });
  });

  it("one session's failure never touches another: a live call keeps its turn while others are closed for bad input", async () => {
    const turn = fixtureSamples('two-turns-8k-mulaw.wav').subarray(0, 3.5 * 8000);
    const live = simulateTwilioCall({ url: twilio, audio: turn, tailMs: 3000 });
    await new Promise((r) => setTimeout(r, 1000));
    const closes = await Promise.all([
      closeAfter('not json'),
      closeAfter(Buffer.from([1, 2, 3])),
      closeAfter(JSON.stringify({ event: 'media', media: { payload: '' } })),
    ]);
    expect(closes.map((c) => c.code)).toEqual([1007, 1003, 1008]);
    const report = await live;
    expect(report.closeCode).toBe(1000);
    // Its turn (2.1 s of speech) came back whole.
    expect(report.mediaReceived).toBeGreaterThan(2000 * 8);
  }, 20_000);

  it('after all of it the process is alive and ready, and counts the failed sessions', async () => {
    expect(await getJson(`${serve.url}/healthz`)).toEqual({ status: 200, body: { status: 'ok' } });
    expect((await getJson(`${serve.url}/readyz`)).body).toMatchObject({ ready: true, activeSessions: 0 });
    const metrics = await (await fetch(`${serve.url}/metrics`)).text();
    expect(metrics).toMatch(/beluga_sessions_failed_total\{protocol="twilio"\} [1-9]/);
    expect(serve.output()).not.toMatch(/Unhandled|TypeError|at .*\.js:\d+/);
  });
});

describe('beluga serve security and slow clients on the browser path', () => {
  it('takes its per-connection limits from the command line', async () => {
    const serve = await startServe([
      join(examples, 'browser-echo.yaml'),
      '--max-message-rate',
      '20',
      '--max-message-bytes',
      '2048',
    ]);
    const ws = `${serve.url.replace('http', 'ws')}/ws`;
    try {
      const big = (await connect(ws)) as OpenClient;
      big.ws.send(Buffer.alloc(4096));
      expect((await big.closed).code).toBe(1009);
      const fast = (await connect(ws)) as OpenClient;
      // Past its burst allowance (5 s at 20 a second) in one go.
      for (let i = 0; i < 120; i++) fast.ws.send(Buffer.alloc(640));
      expect(await fast.closed).toEqual({ code: 1008, reason: 'more than 20 messages a second' });
    } finally {
      serve.kill('SIGKILL');
    }
  }, 30_000);

  it('checks the bearer token and the origin on the upgrade', async () => {
    const serve = await startServe([join(examples, 'browser-echo.yaml'), '--allow-origin', 'https://app.example'], {
      BELUGA_TOKEN: 's3cret-token',
    });
    const ws = `${serve.url.replace('http', 'ws')}/ws`;
    try {
      expect(await connect(ws)).toMatchObject({
        status: 401,
        body: 'missing token: send Authorization: Bearer <token> or ?token=<token>\n',
      });
      expect(await connect(`${ws}?token=wrong`)).toMatchObject({ status: 401, body: 'invalid token\n' });
      expect(await connect(`${ws}?token=s3cret-token`, { origin: 'https://evil.example' })).toMatchObject({
        status: 403,
        body: 'origin https://evil.example is not allowed (add it with --allow-origin)\n',
      });
      const ok = await connect(ws, {
        headers: { Authorization: 'Bearer s3cret-token' },
        origin: 'https://app.example',
      });
      expect(isOpen(ok)).toBe(true);
      if (isOpen(ok)) {
        // An odd byte count cannot be pcm16.
        ok.ws.send(Buffer.alloc(33));
        expect(await ok.closed).toEqual({
          code: 1007,
          reason: 'audio message of 33 bytes: pcm16 needs an even length',
        });
      }
      expect(serve.output()).not.toContain('s3cret-token');
    } finally {
      serve.kill('SIGKILL');
    }
  }, 30_000);

  it('takes on /twilio only upgrades Twilio signed for the public stream URL when TWILIO_AUTH_TOKEN is set', async () => {
    const authToken = 'tw-auth-token-0123456789';
    const serve = await startServe([join(examples, 'twilio-echo.yaml'), '--public-url', 'https://calls.example.com'], {
      TWILIO_AUTH_TOKEN: authToken,
    });
    const twilio = `${serve.url.replace('http', 'ws')}/twilio`;
    // Twilio's algorithm, written out here: base64 HMAC-SHA1 of the URL, keyed with the auth token.
    const sign = (url: string) => createHmac('sha1', authToken).update(url).digest('base64');
    try {
      expect(await connect(twilio)).toMatchObject({
        status: 403,
        body: 'missing X-Twilio-Signature: only Twilio may open /twilio while TWILIO_AUTH_TOKEN is set\n',
      });
      // Signed for the URL the server is reached at locally, not the one in the TwiML.
      expect(
        await connect(twilio, { headers: { 'X-Twilio-Signature': sign(twilio.replace(/^ws:/, 'wss:')) } }),
      ).toMatchObject({
        status: 403,
        body: 'invalid X-Twilio-Signature for wss://calls.example.com/twilio (the URL must be the one in your TwiML: set --public-url to its origin)\n',
      });
      const ok = await connect(twilio, { headers: { 'X-Twilio-Signature': sign('wss://calls.example.com/twilio') } });
      expect(isOpen(ok)).toBe(true);
      if (isOpen(ok)) ok.ws.close();
      const metrics = await (await fetch(`${serve.url}/metrics`)).text();
      expect(metrics).toMatch(/beluga_sessions_refused_total\{reason="auth"\} 2/);
      // The simulated caller signs as Twilio does and gets its turn answered.
      const report = await simulateTwilioCall({
        url: twilio,
        audio: fixtureSamples('two-turns-8k-mulaw.wav').subarray(0, 3 * 8000),
        tailMs: 1500,
        authToken,
        signedUrl: 'wss://calls.example.com/twilio',
      });
      expect(report.closeCode).toBe(1000);
      expect(report.mediaReceived).toBeGreaterThan(0);
      expect(serve.output()).not.toContain(authToken);
    } finally {
      serve.kill('SIGKILL');
    }
  }, 30_000);

  it('a client that never reads: its audio is dropped and counted, then it is closed, and the server stays healthy', async () => {
    const serve = await startServe([join(import.meta.dirname, 'fixtures/browser-flood.yaml')]);
    try {
      const client = (await connect(`${serve.url.replace('http', 'ws')}/ws`)) as OpenClient;
      // The client stops reading the moment the reply starts, before the burst behind it: waiting
      // for that message from outside let a quick client read the whole burst first and never stall.
      const socket = (client.ws as unknown as { _socket: { pause(): void } })._socket;
      client.ws.on('message', (data, isBinary) => {
        if (!isBinary && JSON.parse(String(data)).type === 'response') socket.pause();
      });
      // One spoken sentence (16 kHz pcm16), sent at once.
      const speech = fixtureSamples('single-utterance-16k.wav');
      for (let i = 0; i < speech.length; i += 640) client.ws.send(speech.subarray(i, i + 640));
      for (let i = 0; i < 50; i++) client.ws.send(Buffer.alloc(640));
      await expect.poll(() => client.messages.some((m) => m.type === 'response'), { timeout: 10_000 }).toBe(true);
      await expect
        .poll(() => serve.output(), { timeout: 25_000 })
        .toMatch(/session \S+ ended \(browser, \d+ turns, 0 barge-ins, [1-9]\d* dropped; caller: /);
      const metrics = await (await fetch(`${serve.url}/metrics`)).text();
      expect(metrics).toMatch(/beluga_transport_drops_total\{protocol="browser"\} [1-9]/);
      expect(await getJson(`${serve.url}/healthz`)).toEqual({ status: 200, body: { status: 'ok' } });
      client.ws.terminate();
    } finally {
      serve.kill('SIGKILL');
    }
  }, 40_000);
});
