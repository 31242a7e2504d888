import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { g711Decode } from '@beluga-voice/core/audio';
import { simulateTwilioCall } from '@beluga-voice/transport-websocket/testing';
import { describe, expect, it } from 'vitest';
import { fixtureSamples, voicedMs } from './support/fixtures.js';
import { examples, startServe } from './support/serve-process.js';
import { connect, getJson, isOpen, type OpenClient } from './support/ws-client.js';

const twilioEcho = join(examples, 'twilio-echo.yaml');
const browserEcho = join(examples, 'browser-echo.yaml');
/** One turn: the first 3.5 s of the two-turn phone fixture (speech 0.5–2.6 s). */
const oneTurn = () => fixtureSamples('two-turns-8k-mulaw.wav').subarray(0, 3.5 * 8000);

describe('beluga serve admission control', () => {
  it('refuses the N+1th session with 503 and Retry-After, reports it in /readyz and /metrics, and admits again once one ends', async () => {
    const serve = await startServe([browserEcho, '--max-sessions', '2']);
    const ws = `${serve.url.replace('http', 'ws')}/ws`;
    try {
      const first = (await connect(ws)) as OpenClient;
      const second = (await connect(ws)) as OpenClient;
      expect(isOpen(first) && isOpen(second)).toBe(true);
      const third = await connect(ws);
      expect(isOpen(third)).toBe(false);
      if (isOpen(third)) return;
      expect(third.status).toBe(503);
      expect(third.headers['retry-after']).toBe('5');
      expect(third.body).toBe('server is full (2 sessions)\n');

      const ready = await getJson(`${serve.url}/readyz`);
      expect(ready).toEqual({
        status: 503,
        body: { ready: false, draining: false, activeSessions: 2, maxSessions: 2, available: 0 },
      });
      const metrics = await (await fetch(`${serve.url}/metrics`)).text();
      expect(metrics).toContain('beluga_sessions_active{protocol="browser"} 2');
      expect(metrics).toContain('beluga_sessions_capacity 2');
      expect(metrics).toContain('beluga_sessions_refused_total{reason="full"} 1');
      expect(metrics).toMatch(/nodejs_eventloop_lag_p99_seconds \d/);

      first.ws.send(JSON.stringify({ type: 'stop' }));
      expect(await first.closed).toEqual({ code: 1000, reason: 'caller hung up' });
      await expect.poll(async () => (await getJson(`${serve.url}/readyz`)).status, { timeout: 5000 }).toBe(200);
      const again = await connect(ws);
      expect(isOpen(again)).toBe(true);
      if (isOpen(again)) again.ws.close();
      second.ws.close();
    } finally {
      serve.kill('SIGKILL');
    }
  }, 30_000);
});

/** `beluga serve twilio-echo.yaml` with one Twilio call live (one turn, then `tailMs` of silence). */
async function serveWithLiveCall(drainTimeoutS: number, tailMs: number) {
  const serve = await startServe([twilioEcho, '--drain-timeout', String(drainTimeoutS)]);
  const url = `${serve.url.replace('http', 'ws')}/twilio`;
  const call = simulateTwilioCall({ url, audio: oneTurn(), tailMs });
  try {
    await expect.poll(async () => (await getJson(`${serve.url}/readyz`)).body.activeSessions).toBe(1);
  } catch (error) {
    serve.kill('SIGKILL');
    throw error;
  }
  return { serve, url, call };
}

describe('beluga serve graceful drain', () => {
  it('on SIGTERM stops admitting (readyz 503), lets the live call finish its turn, then exits 0', async () => {
    const { serve, url, call } = await serveWithLiveCall(20, 3000);
    try {
      serve.kill('SIGTERM');
      await expect.poll(async () => (await getJson(`${serve.url}/readyz`)).status).toBe(503);
      expect((await getJson(`${serve.url}/readyz`)).body).toMatchObject({
        ready: false,
        draining: true,
        activeSessions: 1,
      });
      const late = await connect(url);
      expect(isOpen(late) ? 'admitted' : late.status).toBe(503);

      const report = await call;
      // The call ran to its own end: its turn was echoed in full and it hung up itself.
      expect(report.closeCode).toBe(1000);
      expect(report.mediaReceived).toBeGreaterThan(2000 * 8);
      expect(await serve.exited).toBe(0);
      expect(serve.output()).toMatch(/draining: 1 live sessions/);
      expect(serve.output()).toMatch(/session \S+ ended \(twilio, 1 turns/);
    } finally {
      serve.kill('SIGKILL');
    }
  }, 30_000);

  it('ends the sessions still live at --drain-timeout cleanly, and exits 0', async () => {
    const { serve, call } = await serveWithLiveCall(1, 20_000);
    try {
      const signalledAt = performance.now();
      serve.kill('SIGTERM');
      const report = await call;
      expect(report.closeCode).toBe(1000);
      expect(report.closeReason).toBe('session ended');
      expect(performance.now() - signalledAt).toBeLessThan(1000 + 3000);
      expect(await serve.exited).toBe(0);
      expect(serve.output()).toMatch(/drain timeout, stopping it/);
    } finally {
      serve.kill('SIGKILL');
    }
  }, 30_000);

  it('a second signal ends every session at once (1001) and exits 130', async () => {
    const { serve, call } = await serveWithLiveCall(30, 20_000);
    try {
      serve.kill('SIGTERM');
      await expect.poll(async () => (await getJson(`${serve.url}/readyz`)).status).toBe(503);
      serve.kill('SIGTERM');
      const report = await call;
      expect(report.closeCode).toBe(1001);
      expect(report.closeReason).toBe('server shutting down');
      expect(await serve.exited).toBe(130);
    } finally {
      serve.kill('SIGKILL');
    }
  }, 30_000);

  it('a session stopped at the drain timeout leaves its recording complete, named by its call parameter', async () => {
    const recordings = mkdtempSync(join(tmpdir(), 'beluga-recordings-'));
    const serve = await startServe(
      [join(import.meta.dirname, 'fixtures/twilio-recorded.yaml'), '--drain-timeout', '1'],
      { RECORDINGS: recordings },
    );
    try {
      const url = `${serve.url.replace('http', 'ws')}/twilio`;
      const call = simulateTwilioCall({
        url,
        audio: oneTurn(),
        tailMs: 20_000,
        customParameters: { callId: 'abc123' },
      });
      // Into the reply (it starts about 3.4 s in), then shut down.
      await new Promise((r) => setTimeout(r, 5000));
      serve.kill('SIGTERM');
      expect((await call).closeReason).toBe('session ended');
      expect(await serve.exited).toBe(0);

      const wav = readFileSync(join(recordings, 'call-abc123.wav'));
      expect(wav.toString('latin1', 0, 4)).toBe('RIFF');
      expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
      expect(wav.readUInt16LE(22)).toBe(2);
      expect(wav.readUInt32LE(24)).toBe(8000);
      const dataBytes = wav.readUInt32LE(40);
      expect(dataBytes).toBe(wav.length - 44);
      const stereo = new Int16Array(wav.buffer.slice(wav.byteOffset + 44, wav.byteOffset + 44 + dataBytes));
      const user = stereo.filter((_, i) => i % 2 === 0);
      const agent = stereo.filter((_, i) => i % 2 === 1);
      expect(user.length / 8000).toBeGreaterThan(4.5);
      const spoken = voicedMs(g711Decode('mulaw', oneTurn()), 8000);
      expect(voicedMs(user, 8000)).toBeGreaterThanOrEqual(spoken - 100);
      // The echo had started playing when the drain stopped the session.
      expect(voicedMs(agent, 8000)).toBeGreaterThan(200);
    } finally {
      serve.kill('SIGKILL');
      rmSync(recordings, { recursive: true, force: true });
    }
  }, 30_000);
});
