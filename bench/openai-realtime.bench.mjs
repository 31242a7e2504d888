// OpenAI Realtime provider against its mock: (1) how fast a session turns a streamed reply into
// audio frames (base64 + zod validation + frame building) against a bare `ws` client that only
// JSON.parses and base64-decodes the same deltas; (2) turn latency from the last appended audio
// to the first reply audio, provider against the bare client, both on the mock's server VAD.
import { readFileSync } from 'node:fs';
import { OpenAIRealtimeProvider } from '../packages/provider-openai-realtime/dist/index.js';
import { startMockServer } from '../packages/provider-openai-realtime/dist/mock/index.js';
import WebSocket from '../packages/provider-openai-realtime/node_modules/ws/wrapper.mjs';

const KEY = 'bench-key-0123456789';
const REPLY_MS = 60_000;
const FORMAT = { encoding: 'pcm16', sampleRate: 24000, channels: 1 };

/** First turn of the 24 kHz fixture (plain 44-byte header) plus trailing silence. */
function firstTurn() {
  const bytes = readFileSync(new URL('../fixtures/audio/two-turns-24k.wav', import.meta.url));
  const pcm = new Int16Array(bytes.buffer.slice(bytes.byteOffset + 44, bytes.byteOffset + 44 + 24000 * 2 * 3.6));
  return pcm;
}

function frames(samples, ms = 20) {
  const size = (24000 * ms) / 1000;
  const out = [];
  for (let i = 0; i < samples.length; i += size)
    out.push({ kind: 'audio', timestamp: (i / 24000) * 1000, format: FORMAT, samples: samples.slice(i, i + size) });
  return out;
}

function waitUntil(predicate) {
  return new Promise((resolve) => {
    const tick = () => (predicate() ? resolve() : setImmediate(tick));
    tick();
  });
}

/** Provider: ms of wall clock to receive a REPLY_MS reply as audio events. */
async function providerReply(server) {
  const session = await new OpenAIRealtimeProvider({ apiKey: KEY, baseUrl: server.baseUrl }).startSession({});
  let done = false;
  let audioMs = 0;
  session.events$.subscribe((e) => {
    if (e.type === 'audio') audioMs += (e.frame.samples.length / 24000) * 1000;
    if (e.type === 'response-done') done = true;
  });
  const t0 = performance.now();
  session.sendText('Tell me a long story.');
  await waitUntil(() => done);
  const elapsed = performance.now() - t0;
  await session.close();
  if (Math.round(audioMs) !== REPLY_MS) throw new Error(`provider got ${audioMs} ms of audio`);
  return elapsed;
}

async function rawClient(server) {
  const socket = new WebSocket(`${server.url}?model=gpt-realtime`, { headers: { Authorization: `Bearer ${KEY}` } });
  const listeners = new Set();
  socket.on('message', (data) => {
    const event = JSON.parse(data.toString());
    for (const l of listeners) l(event);
  });
  await new Promise((resolve) => socket.once('open', resolve));
  return { socket, listeners };
}

/** Bare client: the same reply, JSON.parse and base64 decode only. */
async function rawReply(server) {
  const { socket, listeners } = await rawClient(server);
  let done = false;
  let bytes = 0;
  listeners.add((e) => {
    if (e.type === 'response.output_audio.delta') bytes += Buffer.from(e.delta, 'base64').byteLength;
    if (e.type === 'response.done') done = true;
  });
  const t0 = performance.now();
  socket.send(
    JSON.stringify({
      type: 'conversation.item.create',
      item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Tell me a long story.' }] },
    }),
  );
  socket.send(JSON.stringify({ type: 'response.create' }));
  await waitUntil(() => done);
  const elapsed = performance.now() - t0;
  socket.close();
  if (bytes !== REPLY_MS * 48) throw new Error(`raw client got ${bytes} bytes`);
  return elapsed;
}

/** Provider: ms from the last appended frame to the first reply audio. */
async function providerTurn(server, turn) {
  const session = await new OpenAIRealtimeProvider({
    apiKey: KEY,
    baseUrl: server.baseUrl,
    inputTranscription: false,
  }).startSession({});
  let firstAudioAt;
  session.events$.subscribe((e) => {
    if (e.type === 'audio' && firstAudioAt === undefined) firstAudioAt = performance.now();
  });
  for (const f of turn) session.sendAudio(f);
  const sentAt = performance.now();
  await waitUntil(() => firstAudioAt !== undefined);
  await session.close();
  return firstAudioAt - sentAt;
}

async function rawTurn(server, turn) {
  const { socket, listeners } = await rawClient(server);
  let firstAudioAt;
  listeners.add((e) => {
    if (e.type === 'response.output_audio.delta' && firstAudioAt === undefined) firstAudioAt = performance.now();
  });
  const td = {
    type: 'server_vad',
    threshold: 0.5,
    prefix_padding_ms: 300,
    silence_duration_ms: 500,
    create_response: true,
    interrupt_response: true,
  };
  socket.send(
    JSON.stringify({ type: 'session.update', session: { type: 'realtime', audio: { input: { turn_detection: td } } } }),
  );
  for (let i = 0; i < turn.length; i += 5) {
    const chunk = Buffer.concat(
      turn.slice(i, i + 5).map((f) => Buffer.from(f.samples.buffer, f.samples.byteOffset, f.samples.byteLength)),
    );
    socket.send(JSON.stringify({ type: 'input_audio_buffer.append', audio: chunk.toString('base64') }));
  }
  const sentAt = performance.now();
  await waitUntil(() => firstAudioAt !== undefined);
  socket.close();
  return firstAudioAt - sentAt;
}

async function best(runs, fn) {
  let out = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) out = Math.min(out, await fn());
  return out;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const longReply = await startMockServer({
  apiKey: KEY,
  script: {
    replies: () => ({ text: 'Once upon a time.', audio: { tone: { frequencyHz: 220, durationMs: REPLY_MS } } }),
  },
});
const providerMs = await best(3, () => providerReply(longReply));
const rawMs = await best(3, () => rawReply(longReply));
await longReply.close();
const providerRate = REPLY_MS / providerMs;
const rawRate = REPLY_MS / rawMs;
console.log(
  JSON.stringify({
    bench: 'openai-realtime.reply-throughput',
    subject: 'OpenAIRealtimeSession: deltas → validated S2S audio events',
    value: Math.round(providerRate),
    unit: 'x realtime',
    baseline: 'bare ws client: JSON.parse + base64 decode',
    baselineValue: Math.round(rawRate),
    ratio: Number((providerRate / rawRate).toFixed(3)),
  }),
);

const turnServer = await startMockServer({ apiKey: KEY });
const turn = frames(firstTurn());
const providerLatencies = [];
const rawLatencies = [];
for (let i = 0; i < 7; i++) {
  rawLatencies.push(await rawTurn(turnServer, turn));
  providerLatencies.push(await providerTurn(turnServer, turn));
}
await turnServer.close();
const p = median(providerLatencies);
const r = median(rawLatencies);
console.log(
  JSON.stringify({
    bench: 'openai-realtime.turn-latency',
    subject: 'provider: last frame sent → first reply audio event (mock server VAD)',
    value: Number(p.toFixed(2)),
    unit: 'ms',
    baseline: 'bare ws client, same audio as 100 ms appends',
    baselineValue: Number(r.toFixed(2)),
    ratio: Number((p / r).toFixed(3)),
  }),
);
