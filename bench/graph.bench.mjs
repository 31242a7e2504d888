// Frames per second through a chain of 10 pass-through nodes, and the runtime's overhead per frame
// per hop, against a bare RxJS chain of 10 `map`s doing the same work in the same process.

import { map, Observable } from 'rxjs';
import { z } from 'zod';
import { defineNode, GraphBuilder, Registry } from '../packages/core/dist/index.js';

const FRAMES = 300_000;
const HOPS = 10;
const format = { encoding: 'pcm16', sampleRate: 16000, channels: 1 };
const samples = new Int16Array(320);
const frames = Array.from({ length: 1024 }, (_, i) => ({ kind: 'audio', timestamp: i * 20, format, samples }));

const source = defineNode({
  type: 'bench.source',
  summary: 'emits FRAMES frames synchronously',
  config: z.object({}).strict(),
  inputs: {},
  outputs: { audio: { kinds: ['audio'], format } },
  create: () => () => ({
    audio: new Observable((s) => {
      for (let i = 0; i < FRAMES && !s.closed; i++) s.next(frames[i & 1023]);
      s.complete();
    }),
  }),
});
const pass = defineNode({
  type: 'bench.pass',
  summary: 'identity',
  config: z.object({}).strict(),
  inputs: { audio: { kinds: ['audio'], required: true } },
  outputs: { audio: { kinds: ['audio'], format: ({ inputs }) => inputs.audio } },
  create:
    () =>
    ({ audio }) => ({ audio: audio.pipe(map((f) => f)) }),
});
let counted = 0;
const sink = defineNode({
  type: 'bench.sink',
  summary: 'counts',
  config: z.object({}).strict(),
  inputs: { audio: { kinds: ['audio'], required: true } },
  outputs: {},
  create:
    (_c, ctx) =>
    ({ audio }) => {
      const sub = audio.subscribe(() => counted++);
      ctx.onClose(() => sub.unsubscribe());
      return {};
    },
});

async function runGraph() {
  const b = new GraphBuilder(new Registry([source, pass, sink])).node('src', 'bench.source');
  const ids = ['src'];
  for (let i = 0; i < HOPS; i++) {
    b.node(`p${i}`, 'bench.pass');
    ids.push(`p${i}`);
  }
  b.node('out', 'bench.sink');
  ids.push('out');
  b.chain(...ids);
  const graph = b.build();
  counted = 0;
  // Includes creating and connecting 12 nodes (tens of µs): negligible against 300k frames.
  const t0 = performance.now();
  const pipeline = graph.start({ metricsIntervalMs: 0 });
  await pipeline.done;
  const ms = performance.now() - t0;
  if (counted !== FRAMES) throw new Error(`graph delivered ${counted} of ${FRAMES} frames`);
  return ms;
}

function runBare() {
  let n = 0;
  let obs = new Observable((s) => {
    for (let i = 0; i < FRAMES && !s.closed; i++) s.next(frames[i & 1023]);
    s.complete();
  });
  for (let i = 0; i < HOPS; i++) obs = obs.pipe(map((f) => f));
  const t0 = performance.now();
  obs.subscribe(() => n++);
  const ms = performance.now() - t0;
  if (n !== FRAMES) throw new Error('bare chain lost frames');
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (let i = 0; i < 2; i++) {
  await runGraph();
  runBare();
}
const graphMs = [];
const bareMs = [];
for (let i = 0; i < 7; i++) {
  globalThis.gc?.();
  graphMs.push(await runGraph());
  globalThis.gc?.();
  bareMs.push(runBare());
}
const g = median(graphMs);
const bare = median(bareMs);
const perHopNs = ((g - bare) * 1e6) / (FRAMES * HOPS);
console.log(
  JSON.stringify({
    bench: 'graph-10-hops',
    subject: 'frames/s through 10 pass-through nodes',
    value: FRAMES / (g / 1000),
    unit: 'frames/s',
    baseline: 'bare RxJS map chain',
    baselineValue: FRAMES / (bare / 1000),
    ratio: bare / g,
  }),
);
console.log(
  JSON.stringify({
    bench: 'graph-overhead',
    subject: 'runtime overhead per frame per hop',
    value: perHopNs,
    unit: 'ns',
    baseline: 'bare RxJS map per hop',
    baselineValue: (bare * 1e6) / (FRAMES * HOPS),
    ratio: perHopNs / ((bare * 1e6) / (FRAMES * HOPS)),
    target: '< 1000 ns',
  }),
);
