// Conversation latency against the OpenAI Realtime mock with zero model latency:
// 1. the time the framework adds per turn, from the provider's audio event reaching the provider
//    node to that audio leaving the pacer into a sink (first frame of each reply: no pacing), over
//    100 text turns; baseline: a raw WebSocket client's time from response.create to the first
//    audio delta, against the same mock in the same run;
// 2. the interruption reaction time, from a speech-start frame entering the provider node to the
//    pacer's flush of the reply queued in it, over 20 interruptions; baseline: a raw WebSocket
//    round trip to the mock (response.create → response.created).
// The provider node's own `turn.framework_latency` / `turn.interrupt_reaction` metrics are
// reported too when it emits them. The mock runs in a child process, as a remote service would,
// so that its work does not share the pipeline's event loop.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { Subject, tap } from 'rxjs';
import { z } from 'zod';
import { defineNode, defineProviderNode, GraphBuilder, Registry } from '../packages/core/dist/index.js';
import { nodes as audioNodes } from '../packages/nodes-audio/dist/nodes.js';
import {
  OpenAIRealtimeProvider,
  openaiRealtimeCapabilities,
  openaiRealtimeConfigSchema,
} from '../packages/provider-openai-realtime/dist/index.js';

const require = createRequire(new URL('../packages/provider-openai-realtime/package.json', import.meta.url));
const WebSocket = require('ws');

const KEY = 'sk-bench-conversation-0123456789';
const TURNS = 100;
const INTERRUPTIONS = 20;
const SHORT_REPLY = { text: 'Ok.', audio: { tone: { frequencyHz: 440, durationMs: 40 } } };
const LONG_REPLY = { text: 'A long reply.', audio: { tone: { frequencyHz: 330, durationMs: 2000 } } };
/** After a reply's last frame left the pacer, its clock is due one frame later: wait past it. */
const SETTLE_MS = 25;

const now = () => performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function until(predicate, timeoutMs, what) {
  const start = now();
  while (!predicate()) {
    if (now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(1);
  }
}

/** Two mocks (short replies, long replies) in a child process; resolves with their URLs and a stop function. */
async function startMocks() {
  const mockModule = new URL('../packages/provider-openai-realtime/dist/mock/index.js', import.meta.url).href;
  // Audio as fast as the socket takes it, no model latency.
  const code = `
    import { startMockServer } from ${JSON.stringify(mockModule)};
    const script = (reply) => ({ replies: Array(1000).fill(reply), chunkMs: 20, chunkIntervalMs: 0, firstAudioLatencyMs: 0 });
    const short = await startMockServer({ apiKey: ${JSON.stringify(KEY)}, script: script(${JSON.stringify(SHORT_REPLY)}) });
    const long = await startMockServer({ apiKey: ${JSON.stringify(KEY)}, script: script(${JSON.stringify(LONG_REPLY)}) });
    process.stdout.write(JSON.stringify({ short: short.url, long: long.url }) + '\\n');
    process.stdin.on('end', () => Promise.all([short.close(), long.close()]).then(() => process.exit(0)));
    process.stdin.resume();
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [first] = await Promise.race([
    createInterface({ input: child.stdout })
      [Symbol.asyncIterator]()
      .next()
      .then((r) => [r.value]),
    new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`the mock process exited (${code})`)))),
  ]);
  const urls = JSON.parse(first);
  const stop = () =>
    new Promise((resolve) => {
      child.once('exit', resolve);
      child.stdin.end();
    });
  return { ...urls, stop };
}

/** What the bench sees of each reply: when its first audio event reached the node, and its frames at the sink. */
class Observations {
  firstEvent = new Map();
  firstAtSink = new Map();
  msAtSink = new Map();
  lastAtSink = new Map();
  flushAt = new Map();

  onEvent(responseId) {
    if (!this.firstEvent.has(responseId)) this.firstEvent.set(responseId, now());
  }

  onFrame(frame) {
    const id = frame.responseId;
    const at = now();
    if (!this.firstAtSink.has(id)) this.firstAtSink.set(id, at);
    this.lastAtSink.set(id, at);
    this.msAtSink.set(id, (this.msAtSink.get(id) ?? 0) + (frame.samples.length / frame.format.sampleRate) * 1000);
  }

  onControl(event) {
    if (event.type === 'playout' && event.final && !this.flushAt.has(event.responseId))
      this.flushAt.set(event.responseId, now());
  }
}

/** The OpenAI provider with a tap on each session's events: the moment each audio event reaches the node. */
function timedProvider(provider, observations) {
  return {
    name: provider.name,
    capabilities: provider.capabilities,
    async startSession(context, options) {
      const session = await provider.startSession(context, options);
      const events$ = session.events$.pipe(
        tap((event) => {
          if (event.type === 'audio') observations.onEvent(event.responseId);
        }),
      );
      return new Proxy(session, {
        get(target, key) {
          if (key === 'events$') return events$;
          const value = Reflect.get(target, key, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    },
  };
}

const observed = z.custom((v) => v instanceof Observations).describe('Where timings go');

function benchNodes() {
  const agent = defineProviderNode({
    type: 'bench.openai-realtime-timed',
    summary: 'provider.openai-realtime with a timing tap on its session events',
    config: openaiRealtimeConfigSchema.extend({ observations: observed }),
    secrets: ['apiKey'],
    capabilities: (config) => openaiRealtimeCapabilities(config),
    // `conversation` is the provider node's setting (its bridge applies it), not the provider's.
    createProvider: ({ observations, conversation: _bridgeSettings, ...config }, ctx) =>
      timedProvider(new OpenAIRealtimeProvider(config, { scheduler: ctx.scheduler }), observations),
  });
  const driver = defineNode({
    type: 'bench.driver',
    summary: 'Emits the frames the bench pushes: text turns and speech start/stop',
    config: z.object({ frames: z.custom((v) => v instanceof Subject).describe('Frames to emit') }).strict(),
    inputs: {},
    outputs: { out: { kinds: ['text', 'speech-start', 'speech-stop'] } },
    create: (cfg) => () => ({ out: cfg.frames.asObservable() }),
  });
  const sink = defineNode({
    type: 'bench.sink',
    summary: 'Records when audio frames and final playouts arrive',
    config: z.object({ observations: observed }).strict(),
    inputs: { audio: { kinds: ['audio'], required: true } },
    outputs: {},
    create:
      (cfg, ctx) =>
      ({ audio }) => {
        const frames = audio.subscribe((frame) => cfg.observations.onFrame(frame));
        const controls = ctx.control.events$.subscribe((event) => cfg.observations.onControl(event));
        ctx.onClose(() => {
          frames.unsubscribe();
          controls.unsubscribe();
        });
        return {};
      },
  });
  return [agent, driver, sink];
}

/** driver → provider node (timed) → pace → sink, against the mock at `url`; resolves once the session is up. */
async function startConversation(url) {
  const observations = new Observations();
  const frames = new Subject();
  const graph = new GraphBuilder(new Registry([...audioNodes, ...benchNodes()]), 'bench-conversation')
    .node('driver', 'bench.driver', { frames })
    .node('agent', 'bench.openai-realtime-timed', {
      apiKey: KEY,
      baseUrl: url.replace(/\/realtime$/, ''),
      inputTranscription: false,
      turnDetection: { type: 'none' },
      observations,
    })
    .node('pace', 'audio.pace')
    .node('sink', 'bench.sink', { observations })
    .chain('driver', 'agent', 'pace', 'sink')
    .build();
  const pipeline = graph.start({ metricsIntervalMs: 0 });
  const bus = [];
  const done = new Set();
  pipeline.events$.subscribe((event) => {
    if (event.type === 'metric' || event.type === 'error') bus.push(event);
    if (event.type === 'mark' && event.name === 'response-done') done.add(event.data.responseId);
    if (event.type === 'log' && event.message.endsWith('session-started')) bus.push(event);
  });
  await until(() => bus.some((e) => e.type === 'log'), 5000, 'the provider session');
  const text = (t) => frames.next({ kind: 'text', timestamp: 0, text: t });
  const speech = (kind) => frames.next({ kind, timestamp: 0, source: 'bench' });
  const errors = () => bus.filter((e) => e.type === 'error');
  const metricValues = (name) => bus.filter((e) => e.type === 'metric' && e.name === name).map((e) => e.value);
  const end = async () => {
    frames.complete();
    await pipeline.done;
  };
  return { observations, done, text, speech, errors, metricValues, end };
}

/** The id of the reply that started after `known` replies had been seen at the sink. */
async function nextReply(observations, known) {
  await until(() => observations.firstAtSink.size > known, 5000, 'reply audio at the sink');
  return [...observations.firstAtSink.keys()][known];
}

async function frameworkLatency(url) {
  const run = await startConversation(url);
  const { observations } = run;
  const added = [];
  for (let i = 0; i < TURNS; i++) {
    run.text(`turn ${i}`);
    const id = await nextReply(observations, i);
    await until(() => run.done.has(id) && observations.msAtSink.get(id) >= 40 - 1e-6, 5000, `reply ${i} played`);
    added.push(observations.firstAtSink.get(id) - observations.firstEvent.get(id));
    await sleep(SETTLE_MS);
  }
  const metric = run.metricValues('turn.framework_latency');
  const errors = run.errors();
  await run.end();
  if (errors.length > 0) throw new Error(`errors on the bus: ${errors.map((e) => e.message).join('; ')}`);
  return { added, metric };
}

async function interruptionReaction(url) {
  const run = await startConversation(url);
  const { observations } = run;
  const reaction = [];
  for (let i = 0; i < INTERRUPTIONS; i++) {
    run.text(`question ${i}`);
    const id = await nextReply(observations, i);
    // The whole 2 s reply is in the pacer by now; the user starts speaking.
    await sleep(100);
    const speechAt = now();
    run.speech('speech-start');
    await until(() => observations.flushAt.has(id), 2000, `the flush of reply ${i}`);
    reaction.push(observations.flushAt.get(id) - speechAt);
    if (observations.lastAtSink.get(id) > observations.flushAt.get(id))
      throw new Error(`reply ${i} reached the sink after its flush`);
    run.speech('speech-stop');
    await until(() => run.done.has(id), 5000, `reply ${i} to end`);
  }
  const metric = run.metricValues('turn.interrupt_reaction');
  const errors = run.errors();
  await run.end();
  if (errors.length > 0) throw new Error(`errors on the bus: ${errors.map((e) => e.message).join('; ')}`);
  return { reaction, metric };
}

/** A raw client on the same mock: time from response.create to the first audio delta, and to response.created. */
async function rawClient(url) {
  const ws = new WebSocket(`${url}?model=gpt-realtime`, { headers: { Authorization: `Bearer ${KEY}` } });
  const waiting = [];
  ws.on('message', (data) => {
    const event = JSON.parse(data.toString());
    const at = now();
    for (const w of [...waiting]) {
      if (w.type === event.type) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(at);
      }
    }
  });
  const next = (type) => new Promise((resolve) => waiting.push({ type, resolve }));
  await next('session.created');
  const firstAudio = [];
  const created = [];
  for (let i = 0; i < TURNS; i++) {
    const audio = next('response.output_audio.delta');
    const started = next('response.created');
    const finished = next('response.done');
    ws.send(
      JSON.stringify({
        type: 'conversation.item.create',
        item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: `turn ${i}` }] },
      }),
    );
    const sentAt = now();
    ws.send(JSON.stringify({ type: 'response.create' }));
    created.push((await started) - sentAt);
    firstAudio.push((await audio) - sentAt);
    await finished;
  }
  ws.close();
  return { firstAudio, created };
}

const round = (v) => Number(v.toFixed(3));
function line(bench, subject, value, baseline, baselineValue, target, source) {
  console.log(
    JSON.stringify({
      bench,
      subject,
      value: round(value),
      unit: 'ms',
      baseline,
      baselineValue: round(baselineValue),
      ratio: round(value / baselineValue),
      target,
      source,
    }),
  );
}

const mocks = await startMocks();
try {
  const raw = await rawClient(mocks.short);
  const latency = await frameworkLatency(mocks.short);
  const interrupts = await interruptionReaction(mocks.long);
  const latencyBench = `framework latency per turn (${TURNS} turns, mock at zero model latency)`;
  const rawAudio = 'raw ws client: response.create → first audio delta';
  const own = 'bench timestamps: provider audio event → sink';
  for (const [p, target] of [
    [50, '< 2 ms p50'],
    [99, '< 10 ms p99'],
  ]) {
    line(
      latencyBench,
      `added latency p${p}`,
      percentile(latency.added, p),
      `${rawAudio} p${p}`,
      percentile(raw.firstAudio, p),
      target,
      own,
    );
    if (latency.metric.length > 0) {
      line(
        latencyBench,
        `turn.framework_latency p${p}`,
        percentile(latency.metric, p),
        `${rawAudio} p${p}`,
        percentile(raw.firstAudio, p),
        target,
        `metric (${latency.metric.length} turns)`,
      );
    }
  }
  const reactionBench = `interruption reaction (${INTERRUPTIONS} interruptions of a 2 s reply queued in the pacer)`;
  const rawRoundTrip = 'raw ws round trip: response.create → response.created';
  for (const p of [50, 99]) {
    line(
      reactionBench,
      `speech-start → pacer flush p${p}`,
      percentile(interrupts.reaction, p),
      `${rawRoundTrip} p${p}`,
      percentile(raw.created, p),
      '< 25 ms',
      'bench timestamps',
    );
    if (interrupts.metric.length > 0) {
      line(
        reactionBench,
        `turn.interrupt_reaction p${p}`,
        percentile(interrupts.metric, p),
        `${rawRoundTrip} p${p}`,
        percentile(raw.created, p),
        '< 25 ms',
        `metric (${interrupts.metric.length} interruptions)`,
      );
    }
  }
} finally {
  await mocks.stop();
}
