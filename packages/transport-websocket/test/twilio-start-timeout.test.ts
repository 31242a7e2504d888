import { join } from 'node:path';
import { BelugaServer, ServedPipeline } from '@beluga-voice/transport-websocket';
import { afterEach, describe, expect, it } from 'vitest';
import { examples } from './support/serve-process.js';
import { connect, isOpen } from './support/ws-client.js';

let server: BelugaServer | undefined;
afterEach(async () => {
  await server?.abort();
  server = undefined;
});

describe('a Twilio connection that never sends start', () => {
  it('is closed with 1011 naming the missing start once startTimeoutMs passes, counted as failed and logged', async () => {
    const { pipeline } = await ServedPipeline.load(join(examples, 'twilio-echo.yaml'), {});
    const log: string[] = [];
    server = await BelugaServer.start(pipeline, {
      port: 0,
      host: '127.0.0.1',
      startTimeoutMs: 400,
      log: (line) => log.push(line),
    });
    const client = await connect(`${server.url.replace('http', 'ws')}/twilio`);
    expect(isOpen(client)).toBe(true);
    if (!isOpen(client)) return;
    const opened = performance.now();
    // Twilio's first message, then silence: no `start`, so no stream to attach a session to.
    client.ws.send(JSON.stringify({ event: 'connected', protocol: 'Call', version: '1.0.0' }));
    const closed = await client.closed;
    const after = performance.now() - opened;
    expect(closed).toEqual({ code: 1011, reason: 'session failed: no start event within 400 ms' });
    expect(after).toBeGreaterThanOrEqual(380);
    expect(after).toBeLessThan(5000);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/beluga_sessions_failed_total\{protocol="twilio"\} 1/);
    expect(log.some((l) => /failed: no start event within 400 ms \(twilio/.test(l))).toBe(true);
  });
});
