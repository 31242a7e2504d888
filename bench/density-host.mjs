// One process of bench/density.bench.mjs: runs N sessions of bench/density-pipeline.yaml against
// the mock at argv[3], their starts spread evenly over argv[4] ms once the driver writes a line to stdin. Measures
// its own event-loop lag, CPU and RSS over [from, to] ms after that start, waits for every session
// to end, and prints one JSON line: lag, CPU, RSS, turns answered, drops, failures, framework latency
// and the loop lag each turn's reply was read under.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadPipelineFile } from '../packages/core/dist/index.js';
import { LAG_RESOLUTION_MS } from './support.mjs';

const [n, mockUrl, spread, from, to] = process.argv.slice(2).map((v, i) => (i === 1 ? v : Number(v)));
const SESSION_TIMEOUT_MS = 30_000;

const file = fileURLToPath(new URL('density-pipeline.yaml', import.meta.url));
const loaded = await loadPipelineFile(file, { env: { DENSITY_MOCK_URL: mockUrl } });
if (!loaded.graph) throw new Error(loaded.issues.map((i) => i.message).join('\n'));
const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
lag.enable();
const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

const totals = { turns: 0, answered: 0, drops: 0, failed: 0, errors: [], framework: [], loopLag: [] };
function runSession() {
  const running = loaded.graph.start({ baseDir: loaded.baseDir });
  running.events$.subscribe((e) => {
    if (e.type === 'metric' && e.name === 'turn.framework_latency') totals.framework.push(e.value);
    else if (e.type === 'metric' && e.name === 'turn.loop_lag') totals.loopLag.push(e.value);
    else if (e.type === 'metric' && e.name === 'queue.drops') totals.drops += e.value;
    else if (e.type === 'warning' && e.code === 'pace-overflow') totals.drops++;
    else if (e.type === 'mark' && e.name === 'turn') {
      totals.turns++;
      if (e.data.status === 'completed' && e.data.playedMs > 0) totals.answered++;
    } else if (e.type === 'error' && totals.errors.length < 5) totals.errors.push(e.message);
  });
  const timeout = setTimeout(() => running.abort('session timed out'), SESSION_TIMEOUT_MS);
  return running.done.then(
    () => clearTimeout(timeout),
    (error) => {
      clearTimeout(timeout);
      totals.failed++;
      if (totals.errors.length < 5) totals.errors.push(String(error?.message ?? error));
    },
  );
}

await new Promise((resolve) => {
  process.stdout.write('ready\n');
  process.stdin.once('data', resolve);
});
const t0 = performance.now();
const sessions = [];
for (let i = 0; i < n; i++) {
  await sleep(t0 + (i / n) * spread - performance.now());
  sessions.push(runSession());
}
await sleep(t0 + from - performance.now());
lag.reset();
const cpu0 = process.cpuUsage();
await sleep(t0 + to - performance.now());
const cpu = process.cpuUsage(cpu0);
const window = {
  lagP50Ms: lag.percentile(50) / 1e6 - LAG_RESOLUTION_MS,
  lagP99Ms: lag.percentile(99) / 1e6 - LAG_RESOLUTION_MS,
  lagMaxMs: lag.max / 1e6 - LAG_RESOLUTION_MS,
  cpuPct: ((cpu.user + cpu.system) / 1000 / (to - from)) * 100,
  rssMb: process.memoryUsage().rss / 2 ** 20,
};
await Promise.all(sessions);
process.stdout.write(`${JSON.stringify({ n, ...window, ...totals })}\n`);
process.exit(0);
