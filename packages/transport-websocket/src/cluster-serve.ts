import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { serveClusterMetrics } from './cluster-metrics.js';
import type { ServeIo, ServeSignals } from './serve-cli.js';

export interface ClusterServeOptions {
  /** The `beluga serve` arguments each worker runs with (without `--workers`). */
  readonly args: readonly string[];
  readonly workers: number;
  readonly log: (line: string) => void;
}

/** The module each worker runs: `beluga serve` with the same arguments, in its own process. */
const WORKER_ENTRY = fileURLToPath(new URL('./serve-worker.js', import.meta.url));

/**
 * `beluga serve --workers N` in the primary process: forks N workers (one event loop per core),
 * each a whole `beluga serve` with its own admission (`--max-sessions` per worker), on the one
 * listening port that the primary hands connections out from. Prints the banner once every
 * worker listens; a signal is passed to every worker (the first drains, the second ends at
 * once); exits with the worst worker exit code. A worker that dies while serving is replaced.
 */
export async function runClusterPrimary(
  options: ClusterServeOptions,
  io: ServeIo,
  signals: ServeSignals,
): Promise<number> {
  const { workers, log } = options;
  cluster.setupPrimary({ exec: WORKER_ENTRY, args: [...options.args], silent: true, cwd: io.cwd });
  const stopMetrics = serveClusterMetrics();
  let signalled = 0;
  let worst = 0;
  let banner: string | undefined;
  /** The banner goes out once, when every first worker listens (not again for a replacement). */
  let announced = false;
  const listening = new Set<number>();
  const live = new Set<Worker>();
  let allExited!: () => void;
  const exited = new Promise<void>((resolve) => (allExited = resolve));

  const fork = (slot: number) => {
    const worker = cluster.fork({ ...io.env, BELUGA_WORKER_SLOT: String(slot) });
    live.add(worker);
    let out = '';
    let everListened = false;
    worker.process.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!everListened && /^listening \S+$/m.test(out)) {
        everListened = true;
        listening.add(slot);
        banner ??= out;
        if (listening.size === workers && signalled === 0 && !announced) {
          announced = true;
          log(`${workers} workers, each admitting up to its own --max-sessions`);
          io.stdout.write(banner);
        }
      }
    });
    let pending = '';
    worker.process.stderr?.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) io.stderr.write(`worker ${slot}: ${line}\n`);
    });
    worker.on('exit', (code, signal) => {
      live.delete(worker);
      if (pending) io.stderr.write(`worker ${slot}: ${pending}\n`);
      const status = code ?? (signal ? 2 : 0);
      if (signalled === 0 && everListened) {
        // A crash takes only its own sessions: the slot gets a fresh worker.
        log(`worker ${slot} ended (${signal ?? `exit ${code}`}) while serving: starting a new one`);
        fork(slot);
        return;
      }
      worst = Math.max(worst, status);
      if (signalled === 0 && !everListened) {
        // It could not start (port taken, bad pipeline): the others stop too.
        signalled = 2;
        for (const w of live) w.process.kill('SIGTERM');
      }
      if (live.size === 0) allExited();
    });
  };

  const onSignal = () => {
    signalled++;
    if (signalled === 1) log(`draining ${live.size} workers (signal again to end at once)`);
    else if (signalled === 2) log('ending every worker now');
    if (signalled <= 2) for (const w of live) w.process.kill('SIGTERM');
  };
  signals.on('SIGINT', onSignal);
  signals.on('SIGTERM', onSignal);
  for (let slot = 1; slot <= workers; slot++) fork(slot);
  await exited;
  signals.off('SIGINT', onSignal);
  signals.off('SIGTERM', onSignal);
  stopMetrics();
  log('stopped');
  return worst;
}
