import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseWavHeader } from '@beluga-voice/core/audio';
import { simulateTwilioCall, type TwilioCallReport } from '@beluga-voice/transport-websocket/testing';
import { describe, expect, it } from 'vitest';
import { alive, type Cluster, repo, sleep, startCluster, stopCluster, workerMetric } from './support/cluster.js';

const hasHaproxy = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v haproxy || test -x /usr/sbin/haproxy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasHaproxy) console.warn('skipping the local cluster tests: HAProxy is not installed (apt-get install haproxy)');

// The first turn of two-turns-8k-mulaw.wav (speech 0.5–2.6 s), as a caller's μ-law bytes.
const fixture = readFileSync(`${repo}fixtures/audio/two-turns-8k-mulaw.wav`);
const wav = parseWavHeader((at, length) => fixture.subarray(at, at + length), fixture.length, 'two-turns-8k-mulaw.wav');
const turn = new Uint8Array(fixture.subarray(wav.dataOffset, wav.dataOffset + 3.6 * 8000));
const PIPELINE = 'twilio-echo.yaml';
const CHECK_MS = 500;

/** A one-turn call through the balancer; its reply, the echo of about 2.1 s of speech, arrives within
 * the tail even on a loaded machine. */
const call = (cluster: Cluster, tailMs = 9000) =>
  simulateTwilioCall({ url: `${cluster.url.replace('http', 'ws')}/twilio`, audio: turn, tailMs });

/** Starts `count` calls `gapMs` apart and settles them all. */
async function calls(cluster: Cluster, count: number, gapMs: number, tailMs?: number) {
  const pending: Promise<PromiseSettledResult<TwilioCallReport>>[] = [];
  for (let i = 0; i < count; i++) {
    // Settled at once: a refusal while later calls are still starting is a result, not an unhandled rejection.
    pending.push(
      call(cluster, tailMs).then(
        (value) => ({ status: 'fulfilled', value }) as const,
        (reason: unknown) => ({ status: 'rejected', reason }) as const,
      ),
    );
    await sleep(gapMs);
  }
  return Promise.all(pending);
}

const answered = (r: PromiseSettledResult<TwilioCallReport>) =>
  r.status === 'fulfilled' && r.value.closeCode === 1000 && r.value.mediaReceived >= 1.5 * 8000;

/** Runs `body` against 3 workers behind HAProxy; then SIGTERM must stop it all, exit 0, no process left. */
async function withCluster(maxSessions: number, body: (cluster: Cluster) => Promise<void>) {
  const args = ['--workers', '3', '--max-sessions', String(maxSessions), '--check-inter', String(CHECK_MS), PIPELINE];
  const cluster = await startCluster(args);
  try {
    await body(cluster);
  } finally {
    expect(await stopCluster(cluster)).toBe(0);
  }
  for (const pid of [...cluster.workers.map((w) => w.pid), cluster.haproxyPid]) expect(alive(pid)).toBe(false);
}

const started = (cluster: Cluster) =>
  Promise.all(cluster.workers.map((w) => workerMetric(w, 'beluga_sessions_started_total')));

describe.runIf(hasHaproxy)('HAProxy in front of beluga serve workers (deploy/local/cluster.sh)', () => {
  it('spreads 150 paced calls over 3 workers within ±20 % and every call is answered', async () => {
    await withCluster(60, async (cluster) => {
      expect(cluster.workers).toHaveLength(3);
      const results = await calls(cluster, 150, 15);
      const failed = results.filter((r) => !answered(r));
      expect(
        failed.map((r) =>
          r.status === 'rejected'
            ? String(r.reason)
            : `closed ${r.value.closeCode} ${r.value.closeReason}, ${r.value.mediaReceived / 8} ms of reply received`,
        ),
      ).toEqual([]);
      const perWorker = await started(cluster);
      expect(perWorker.reduce((a, b) => a + b, 0)).toBe(150);
      for (const n of perWorker) {
        expect(n).toBeGreaterThanOrEqual(40);
        expect(n).toBeLessThanOrEqual(60);
      }
    });
  }, 120_000);

  it('rolling restart: a SIGTERMed worker gets no new calls, finishes its own, and no call anywhere fails', async () => {
    await withCluster(60, async (cluster) => {
      const first = calls(cluster, 30, 20);
      await sleep(1500);
      const [leaving] = cluster.workers as [Cluster['workers'][number]];
      const held = await workerMetric(leaving, 'beluga_sessions_active');
      expect(held).toBeGreaterThan(0);
      const startedBefore = await workerMetric(leaving, 'beluga_sessions_started_total');
      process.kill(leaving.pid, 'SIGTERM');
      await sleep(CHECK_MS + 300);
      const second = calls(cluster, 30, 20);
      const results = [...(await first), ...(await second)];
      expect(results.filter((r) => !answered(r))).toEqual([]);
      // It refused nothing it had admitted and took nothing new, then exited once its calls were done.
      for (let i = 0; i < 50 && alive(leaving.pid); i++) await sleep(100);
      expect(alive(leaving.pid)).toBe(false);
      const others = await Promise.all(
        cluster.workers.slice(1).map((w) => workerMetric(w, 'beluga_sessions_started_total')),
      );
      expect(startedBefore + others.reduce((a, b) => a + b, 0)).toBe(60);
      expect(cluster.output()).toMatch(new RegExp(`worker 1 \\(pid ${leaving.pid}\\) exited`));
    });
  }, 120_000);

  it('crash: kill -9 of one worker closes only its calls at once, and new calls go to the others', async () => {
    await withCluster(60, async (cluster) => {
      const first = calls(cluster, 30, 20, 12_000);
      await sleep(1500);
      const victim = cluster.workers[1] as Cluster['workers'][number];
      const held = await workerMetric(victim, 'beluga_sessions_active');
      expect(held).toBeGreaterThan(0);
      process.kill(victim.pid, 'SIGKILL');
      const second = calls(cluster, 15, 20);
      const results = await first;
      const lost = results.filter((r) => !answered(r));
      expect(lost).toHaveLength(held);
      for (const r of lost) {
        // The caller sees the close mid-call (before it would hang up), not a hang.
        expect(r.status).toBe('fulfilled');
        const report = (r as PromiseFulfilledResult<TwilioCallReport>).value;
        expect(report.closeCode).not.toBe(1000);
        expect(report.stopSentAt).toBeUndefined();
        expect(report.closedAt).toBeLessThan(3600 + 12_000);
      }
      expect((await second).filter((r) => !answered(r))).toEqual([]);
    });
  }, 120_000);

  it('overload: callers beyond the total capacity get a clean 503 and admitted calls stay whole', async () => {
    await withCluster(4, async (cluster) => {
      const results = await calls(cluster, 18, 40);
      const refused = results.filter((r) => r.status === 'rejected');
      expect(refused.length).toBeGreaterThanOrEqual(6);
      for (const r of refused) expect(String((r as PromiseRejectedResult).reason)).toMatch(/503/);
      const admitted = results.filter((r) => r.status === 'fulfilled');
      expect(admitted.length).toBeLessThanOrEqual(12);
      expect(admitted.filter((r) => !answered(r))).toEqual([]);
    });
  }, 120_000);

  it('says what is missing when HAProxy is not installed, and starts nothing', () => {
    let error: { status: number; stderr: string } | undefined;
    try {
      execFileSync('bash', [`${repo}deploy/local/cluster.sh`, '--workers', '1', '--port', '1', PIPELINE], {
        cwd: `${repo}examples`,
        env: { ...process.env, PATH: '/usr/local/bin:/usr/bin:/bin' },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      error = e as { status: number; stderr: string };
    }
    expect(error?.status).toBe(1);
    expect(error?.stderr).toContain('HAProxy is not installed; install it (Debian/Ubuntu: apt-get install haproxy');
  });
});
