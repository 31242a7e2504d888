import { fileURLToPath } from 'node:url';
import WebSocket from '../packages/transport-websocket/node_modules/ws/wrapper.mjs';
import { report, startListening } from './support.mjs';

const CALLS = Number(process.env.SOAK_CALLS ?? 10_000);
const BLOCK = 250;
const bin = fileURLToPath(new URL('../packages/core/dist/cli/bin.js', import.meta.url));
const examples = fileURLToPath(new URL('../examples/', import.meta.url));
const silence = Buffer.alloc(160, 0xff).toString('base64');
const media = `{"event":"media","streamSid":"MZsoak","media":{"track":"inbound","payload":"${silence}"}}`;
const start =
  '{"event":"start","streamSid":"MZsoak","start":{"streamSid":"MZsoak","callSid":"CAsoak","accountSid":"AC","tracks":["inbound"],"customParameters":{},"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}}}';

async function scrape(url) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (name) =>
    text
      .split('\n')
      .filter((l) => l.startsWith(name) && !l.startsWith('#'))
      .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
  return {
    heap: value('nodejs_heap_size_used_bytes'),
    handles: value('nodejs_active_handles_total'),
    ended: value('beluga_sessions_ended_total'),
    failed: value('beluga_sessions_failed_total'),
  };
}

/** Opens a call, streams `frames` of silence, and resolves when the call is open (and, with hangUp, closed). */
function call(url, frames, hangUp) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/twilio`);
    ws.on('error', reject);
    ws.on('open', () => {
      ws.send('{"event":"connected","protocol":"Call","version":"1.0.0"}');
      ws.send(start);
      for (let i = 0; i < frames; i++) ws.send(media);
      if (!hangUp) return resolve(ws);
      ws.send('{"event":"stop","streamSid":"MZsoak","stop":{"callSid":"CAsoak"}}');
    });
    ws.on('close', (code) => (code === 1000 ? resolve(ws) : reject(new Error(`call closed with ${code}`))));
  });
}

const slope = (points) => {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  const num = points.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0);
  const den = points.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
  return num / den;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const { child, url } = await startListening(
  process.execPath,
  [bin, 'serve', 'twilio-echo.yaml', '--port', '0', '--max-sessions', '1000'],
  examples,
);
try {
  // What one live call holds: 50 open at once against the idle server.
  const idle = await scrape(url);
  const open = await Promise.all(Array.from({ length: 50 }, () => call(url, 5, false)));
  await sleep(300);
  const busy = await scrape(url);
  for (const ws of open) ws.close();
  const perCallHeap = (busy.heap - idle.heap) / 50;
  const perCallHandles = (busy.handles - idle.handles) / 50;
  await sleep(500);

  const heapPoints = [];
  const handlePoints = [];
  let floor = Number.POSITIVE_INFINITY;
  const t0 = performance.now();
  for (let i = 1; i <= CALLS; i++) {
    await call(url, 5, true);
    if (i % 10 === 0) {
      const m = await scrape(url);
      floor = Math.min(floor, m.heap);
      if (i % BLOCK === 0) {
        heapPoints.push([i, floor]);
        handlePoints.push([i, m.handles]);
        floor = Number.POSITIVE_INFINITY;
      }
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  await sleep(500);
  const end = await scrape(url);
  // The first blocks warm up (JIT, pools): the slope is taken over the rest.
  const settled = (points) => points.slice(Math.floor(points.length / 5));
  const heapSlope = slope(settled(heapPoints));
  const handleSlope = slope(settled(handlePoints));
  console.error(
    `soak: ${CALLS} calls in ${seconds.toFixed(0)} s, ended ${end.ended}, failed ${end.failed}, heap ${(
      heapPoints[0][1] / 2 ** 20
    ).toFixed(1)} → ${(heapPoints.at(-1)[1] / 2 ** 20).toFixed(1)} MB, handles ${handlePoints[0][1]} → ${end.handles}`,
  );
  if (end.failed > 0 || end.ended < CALLS)
    throw new Error(`${end.failed} calls failed, ${end.ended} of ${CALLS} ended`);
  report({
    bench: 'soak',
    subject: `heap growth per call over ${CALLS} sequential calls`,
    value: heapSlope,
    unit: 'B/call',
    baseline: 'heap one live call holds',
    baselineValue: perCallHeap,
    target: '≈ 0 (flat): ratio < 0.01',
    digits: 1,
  });
  report({
    bench: 'soak',
    subject: `active handles per call over ${CALLS} sequential calls`,
    value: handleSlope,
    unit: 'handles/call',
    baseline: 'handles one live call holds',
    baselineValue: perCallHandles,
    target: '0 (flat)',
    digits: 5,
  });
} finally {
  child.kill('SIGTERM');
}
