import { execFileSync, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { simulateTwilioCall } from '@beluga-voice/transport-websocket/testing';
import { describe, expect, it } from 'vitest';
import { fixtureSamples } from './support/fixtures.js';
import { examples, repo, startServe } from './support/serve-process.js';
import { connect, getJson, isOpen } from './support/ws-client.js';

const twilioEcho = join(examples, 'twilio-echo.yaml');
/** One turn: the first 3.5 s of the two-turn phone fixture (speech 0.5–2.6 s). */
const oneTurn = () => fixtureSamples('two-turns-8k-mulaw.wav').subarray(0, 3.5 * 8000);

describe('beluga serve --workers N', () => {
  it('runs sessions in N processes with admission per worker, merges /metrics, and drains every worker on SIGTERM', async () => {
    const serve = await startServe([twilioEcho, '--workers', '2', '--max-sessions', '1', '--drain-timeout', '20']);
    try {
      expect(serve.output()).toContain('2 workers, each admitting up to its own --max-sessions');
      const url = `${serve.url.replace('http', 'ws')}/twilio`;
      // Connections go round robin: the second call lands on the other worker.
      const calls = [0, 1].map(() => simulateTwilioCall({ url, audio: oneTurn(), tailMs: 3000 }));
      const metrics = () => fetch(`${serve.url}/metrics`).then((r) => r.text());
      await expect
        .poll(
          async () => (await metrics()).match(/^beluga_sessions_active\{protocol="twilio",worker="\d+"\} 1$/gm)?.length,
          {
            timeout: 10_000,
          },
        )
        .toBe(2);
      const text = await metrics();
      expect(text).toContain('beluga_sessions_capacity{worker="1"} 1');
      expect(text).toContain('beluga_sessions_capacity{worker="2"} 1');
      expect(text.match(/^nodejs_eventloop_lag_p99_seconds\{worker="\d"\} \d/gm)).toHaveLength(2);
      // Each worker is full now: a third caller is refused before any session starts.
      const third = await connect(url);
      expect(isOpen(third) ? 'admitted' : third.status).toBe(503);
      if (!isOpen(third)) expect(third.body).toBe('server is full (1 sessions)\n');

      serve.kill('SIGTERM');
      await expect.poll(async () => (await getJson(`${serve.url}/readyz`)).status).toBe(503);
      const reports = await Promise.all(calls);
      for (const report of reports) {
        // Each call ran to its own end in its worker: the turn echoed in full, then it hung up itself.
        expect(report.closeCode).toBe(1000);
        expect(report.mediaReceived).toBeGreaterThan(2000 * 8);
      }
      expect(await serve.exited).toBe(0);
      expect(serve.output()).toMatch(/draining 2 workers/);
      expect(serve.output()).toMatch(/worker 1: draining: 1 live sessions/);
      expect(serve.output()).toMatch(/worker 2: draining: 1 live sessions/);
      expect(serve.output()).toMatch(/worker \d: session \S+ ended \(twilio, 1 turns/);
    } finally {
      serve.kill('SIGKILL');
    }
  }, 40_000);

  it('replaces a worker that dies while serving; the others serve on', async () => {
    const serve = await startServe([twilioEcho, '--workers', '2']);
    try {
      const workerPids = () =>
        execFileSync('ps', ['-o', 'pid=', '--ppid', String(serve.child.pid)], { encoding: 'utf8' })
          .split('\n')
          .map((l) => Number(l.trim()))
          .filter((pid) => pid > 0);
      const [victim] = workerPids();
      process.kill(victim as number, 'SIGKILL');
      await expect
        .poll(() => serve.output(), { timeout: 10_000 })
        .toMatch(/worker \d ended \(SIGKILL\) while serving: starting a new one/);
      await expect.poll(() => workerPids().filter((pid) => pid !== victim).length, { timeout: 10_000 }).toBe(2);
      const metrics = () => fetch(`${serve.url}/metrics`).then((r) => r.text());
      await expect
        .poll(async () => (await metrics()).match(/^beluga_sessions_capacity\{worker="\d+"\}/gm)?.length, {
          timeout: 10_000,
        })
        .toBe(2);
      expect(serve.output().match(/^listening /gm)).toHaveLength(1);
      serve.kill('SIGTERM');
      expect(await serve.exited).toBe(0);
    } finally {
      serve.kill('SIGKILL');
    }
  }, 40_000);

  it('refuses a worker count it cannot use, naming the flag and the range', () => {
    const run = spawnSync(
      process.execPath,
      [`${repo}packages/core/dist/cli/bin.js`, 'serve', twilioEcho, '--workers', '0'],
      {
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `beluga serve: --workers must be an integer 1..${availableParallelism() * 4}, got "0" (beluga --help for usage)\n`,
    );
  });
});
