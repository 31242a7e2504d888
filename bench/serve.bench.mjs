import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from '../packages/transport-websocket/node_modules/ws/wrapper.mjs';
import { LAG_RESOLUTION_MS, report, startListening, startProbe } from './support.mjs';

// `--workers N` serves with `beluga serve --workers N` (goal then 500 with 2); `--steps a,b,…` picks the N tried.
const { values: flags } = parseArgs({
  options: { workers: { type: 'string' }, steps: { type: 'string' }, cluster: { type: 'boolean' } },
});
const WORKERS = Number(flags.workers ?? 1);
// --cluster: the workers run behind HAProxy (deploy/local/cluster.sh) instead of node:cluster.
const CLUSTER = flags.cluster === true;
const STEPS = flags.steps ? flags.steps.split(',').map(Number) : [25, 50, 100, 150, 200, 250, 300, 400, 500, 600, 800];
const LAG_LIMIT_MS = 10;
const GOAL = WORKERS > 1 ? 500 : 300;
const LAYOUT = CLUSTER ? `, HAProxy + ${WORKERS} workers` : WORKERS > 1 ? `, --workers ${WORKERS}` : '';
const CALL_MS = 8000;
const WINDOW = { from: 2500, to: 7500 };
const bin = fileURLToPath(new URL('../packages/core/dist/cli/bin.js', import.meta.url));
const examples = fileURLToPath(new URL('../examples/', import.meta.url));
const cluster = fileURLToPath(new URL('../deploy/local/cluster.sh', import.meta.url));

/** One turn: the first 3.5 s of the phone fixture (speech 0.5–2.6 s), then silence. */
function callAudio() {
  const file = readFileSync(new URL('../fixtures/audio/two-turns-8k-mulaw.wav', import.meta.url));
  let offset = 12;
  while (file.toString('latin1', offset, offset + 4) !== 'data') offset += 8 + file.readUInt32LE(offset + 4);
  const speech = file.subarray(offset + 8, offset + 8 + 3.5 * 8000);
  const audio = Buffer.alloc((CALL_MS / 1000) * 8000, 0xff);
  speech.copy(audio);
  const frames = [];
  for (let i = 0; i < audio.length; i += 160) {
    const payload = audio.subarray(i, i + 160).toString('base64');
    frames.push(`{"event":"media","streamSid":"MZbench","media":{"track":"inbound","payload":"${payload}"}}`);
  }
  return frames;
}

/** `beluga serve`, or the HAProxy cluster; resolves with the callers' URL and the URLs to scrape. */
async function startServer() {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const started = CLUSTER
    ? await startListening(
        'bash',
        [cluster, '--workers', String(WORKERS), '--port', String(port), '--max-sessions', '5000', 'twilio-echo.yaml'],
        examples,
      )
    : await startListening(
        process.execPath,
        [bin, 'serve', 'twilio-echo.yaml', '--port', '0', '--max-sessions', '5000', '--workers', String(WORKERS)],
        examples,
      );
  const workers = [...started.output().matchAll(/worker \d+: (http:\/\/\S+)/g)].map((m) => m[1]);
  return { ...started, metricsUrls: CLUSTER ? workers : [started.url] };
}

async function scrape(urls) {
  const texts = await Promise.all(urls.map(async (url) => (await fetch(`${url}/metrics`)).text()));
  const text = texts.join('\n');
  const values = (name) =>
    text
      .split('\n')
      .filter((line) => line.startsWith(name) && !line.startsWith('#'))
      .map((line) => Number(line.split(' ').pop()));
  // Summed over the workers (series labelled `worker`, or one scrape each), but lag is the worst worker's.
  const value = (name) => values(name).reduce((a, b) => a + b, 0);
  const worst = (name) => Math.max(...values(name));
  return {
    lagP99Ms: worst('nodejs_eventloop_lag_p99_seconds') * 1000 - LAG_RESOLUTION_MS,
    lagP50Ms: worst('nodejs_eventloop_lag_p50_seconds') * 1000 - LAG_RESOLUTION_MS,
    rssMb: value('process_resident_memory_bytes') / 2 ** 20,
    cpuS: value('process_cpu_seconds_total'),
    drops: value('beluga_transport_drops_total') + value('beluga_queue_drops_total'),
    failed: value('beluga_sessions_failed_total'),
  };
}

/** A light caller: paced media from precomputed messages, marks echoed at once, reply media counted. */
function call(url, frames, startAt) {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/twilio`);
  const state = { sent: 0, replyFrames: 0, open: false, startAt, closed: undefined };
  ws.on('open', () => {
    state.open = true;
    ws.send('{"event":"connected","protocol":"Call","version":"1.0.0"}');
    ws.send(
      '{"event":"start","streamSid":"MZbench","start":{"streamSid":"MZbench","callSid":"CAbench","accountSid":"AC","tracks":["inbound"],"customParameters":{},"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}}}',
    );
  });
  ws.on('message', (data) => {
    const text = data.toString();
    if (text.startsWith('{"event":"media"')) state.replyFrames++;
    else if (text.startsWith('{"event":"mark"')) ws.send(text);
  });
  ws.on('close', (code) => (state.closed = code));
  ws.on('error', () => undefined);
  state.tick = (now) => {
    if (!state.open || state.sent >= frames.length) return;
    const due = Math.min(frames.length, Math.floor((now - state.startAt) / 20) + 1);
    while (state.sent < due) ws.send(frames[state.sent++]);
    if (state.sent >= frames.length) ws.send('{"event":"stop","streamSid":"MZbench","stop":{"callSid":"CAbench"}}');
  };
  return state;
}

async function step(url, metricsUrls, probe, frames, n) {
  const t0 = performance.now() + 200;
  // Phases spread over one frame period and a second of arrivals, as independent callers are.
  const calls = Array.from({ length: n }, (_, i) => call(url, frames, t0 + (i / n) * 1000));
  const ticker = setInterval(() => {
    const now = performance.now();
    for (const c of calls) c.tick(now);
  }, 5);
  const sleepUntil = (t) => new Promise((r) => setTimeout(r, Math.max(0, t - performance.now())));
  await sleepUntil(t0 + WINDOW.from);
  const [before] = await Promise.all([scrape(metricsUrls), probe.read()]);
  await sleepUntil(t0 + WINDOW.to);
  const [during, machine] = await Promise.all([scrape(metricsUrls), probe.read()]);
  await sleepUntil(t0 + CALL_MS + 1500);
  clearInterval(ticker);
  for (const c of calls) if (c.closed === undefined) c.closed = 'open';
  const after = await scrape(metricsUrls);
  // Every caller's turn answered: at least 1.5 s of the ~2.2 s echo came back.
  const answered = calls.filter((c) => c.replyFrames >= 75).length;
  return {
    n,
    lagP50Ms: during.lagP50Ms,
    lagP99Ms: during.lagP99Ms,
    probeP99Ms: machine.lagP99Ms,
    cpuPct: ((during.cpuS - before.cpuS) / ((WINDOW.to - WINDOW.from) / 1000)) * 100,
    rssMb: during.rssMb,
    drops: after.drops - before.drops,
    failed: after.failed - before.failed,
    answered,
  };
}

const { child, url, metricsUrls } = await startServer();
const probe = startProbe();
try {
  const frames = callAudio();
  await Promise.all([scrape(metricsUrls), probe.read()]); // resets the lag histograms
  await new Promise((r) => setTimeout(r, 3000));
  const [idle, idleProbe] = await Promise.all([scrape(metricsUrls), probe.read()]);
  process.stderr.write(
    `idle: server loop lag p99 ${idle.lagP99Ms.toFixed(2)} ms, probe ${idleProbe.lagP99Ms.toFixed(2)} ms, RSS ${idle.rssMb.toFixed(0)} MB\n`,
  );
  let best;
  for (const n of STEPS) {
    const row = await step(url, metricsUrls, probe, frames, n);
    const excess = row.lagP99Ms - row.probeP99Ms;
    const ok = excess <= LAG_LIMIT_MS && row.drops === 0 && row.failed === 0 && row.answered === n;
    process.stderr.write(
      `N=${n}: loop lag p50 ${row.lagP50Ms.toFixed(2)} ms p99 ${row.lagP99Ms.toFixed(2)} ms (idle probe p99 ${row.probeP99Ms.toFixed(2)} ms), server CPU ${row.cpuPct.toFixed(0)} %, RSS ${row.rssMb.toFixed(0)} MB, drops ${row.drops}, failed ${row.failed}, answered ${row.answered}/${n}${ok ? '' : '  <- over the limit'}\n`,
    );
    if (!ok) break;
    best = row;
    await new Promise((r) => setTimeout(r, 1000));
  }
  report({
    bench: 'serve',
    subject: `largest N of paced echo callers${LAYOUT} (p99 loop lag within ${LAG_LIMIT_MS} ms of an idle probe's, no drops, every turn answered)`,
    value: best?.n ?? 0,
    unit: 'sessions',
    baseline: 'goal',
    baselineValue: GOAL,
    target: `>= ${GOAL}`,
    digits: 0,
  });
  if (best) {
    report({
      bench: 'serve',
      subject: `event-loop lag p99 (worst worker) at N=${best.n}${LAYOUT}`,
      value: best.lagP99Ms,
      unit: 'ms',
      baseline: 'idle probe process, same window',
      baselineValue: best.probeP99Ms,
      target: `<= baseline + ${LAG_LIMIT_MS} ms`,
    });
    report({
      bench: 'serve',
      subject: `RSS per session at N=${best.n}${LAYOUT}`,
      value: (best.rssMb - idle.rssMb) / best.n,
      unit: 'MB',
      baseline: 'idle server RSS',
      baselineValue: idle.rssMb,
    });
    report({
      bench: 'serve',
      subject: `server CPU per session at N=${best.n}${LAYOUT}`,
      value: best.cpuPct / best.n,
      unit: '% of a core',
      baseline: 'server CPU at that N',
      baselineValue: best.cpuPct,
    });
  }
} finally {
  // cluster.sh drains and stops what it started on SIGTERM.
  child.kill(CLUSTER ? 'SIGTERM' : 'SIGKILL');
  probe.child.kill('SIGKILL');
}
