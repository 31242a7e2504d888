// VAD speed: Silero time per 32 ms window (our wrapper against a bare onnxruntime session.run
// with default options) and energy VAD time per 20 ms frame (the classifier, and the whole node
// with framing and events, against a bare RMS loop), on the two-turns speech fixture.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { runNode } from '../packages/core/dist/testing/index.js';
import { EnergyVad, SileroVad, sileroModelPath, vadEnergy } from '../packages/nodes-audio/dist/index.js';
import { report, timeEach } from './support.mjs';

const require = createRequire(new URL('../packages/nodes-audio/package.json', import.meta.url));
const ort = require('onnxruntime-node');

/** The 16 kHz mono PCM16 fixture as floats (its header is the plain 44-byte one). */
function speech() {
  const bytes = readFileSync(new URL('../fixtures/audio/two-turns-16k.wav', import.meta.url));
  const pcm = new Int16Array(
    bytes.buffer.slice(bytes.byteOffset + 44, bytes.byteOffset + bytes.length - (bytes.length % 2)),
  );
  return Float32Array.from(pcm, (v) => v / 32768);
}

function windows(samples, size, repeat) {
  const out = [];
  for (let r = 0; r < repeat; r++)
    for (let i = 0; i + size <= samples.length; i += size) out.push(samples.subarray(i, i + size));
  return out;
}

/** Best of `runs` of the async `fn` over all items, in microseconds per item. */
async function timeEachAsync(items, fn, runs = 3) {
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    for (const item of items) await fn(item);
    best = Math.min(best, performance.now() - t0);
  }
  return (best * 1000) / items.length;
}

const audio = speech();

// Silero: 32 ms windows at 16 kHz.
{
  const items = windows(audio, 512, 4);
  const vad = await SileroVad.load();
  vad.start(16000);
  await timeEachAsync(items.slice(0, 100), (w) => vad.probability(w), 1);
  const ours = await timeEachAsync(items, (w) => vad.probability(w));
  await vad.close();

  const session = await ort.InferenceSession.create(sileroModelPath());
  const sr = new ort.Tensor('int64', BigInt64Array.of(16000n));
  let h = new ort.Tensor('float32', new Float32Array(128), [2, 1, 64]);
  let c = new ort.Tensor('float32', new Float32Array(128), [2, 1, 64]);
  const raw = async (w) => {
    const out = await session.run({ input: new ort.Tensor('float32', Float32Array.from(w), [1, 512]), sr, h, c });
    h = out.hn;
    c = out.cn;
  };
  await timeEachAsync(items.slice(0, 100), raw, 1);
  const baseline = await timeEachAsync(items, raw);
  await session.release();
  report({
    bench: 'silero vad time per 32 ms window',
    subject: 'SileroVad.probability',
    value: ours,
    unit: 'us',
    baseline: 'onnxruntime session.run, default options',
    baselineValue: baseline,
    target: '< 300 us',
    digits: 2,
  });
}

// Energy VAD: 20 ms frames at 16 kHz.
{
  const frames = windows(audio, 320, 50);
  const bareRms = (w) => {
    let sum = 0;
    for (let i = 0; i < w.length; i++) sum += w[i] * w[i];
    return Math.sqrt(sum / w.length);
  };
  const baseline = timeEach(frames, bareRms);
  const vad = new EnergyVad({
    startDb: 10,
    stopDb: 6,
    minLevelDb: -55,
    initialFloorDb: -60,
    floorRiseDbPerSec: 3,
    steadyDb: 2,
    steadyMs: 600,
  });
  const classifier = timeEach(frames, (w) => (vad.classify(w, 20).start ? 1 : 0));
  report({
    bench: 'energy vad time per 20 ms frame',
    subject: 'EnergyVad.classify',
    value: classifier,
    unit: 'us',
    baseline: 'bare RMS loop',
    baselineValue: baseline,
    digits: 2,
  });

  const format = { encoding: 'f32', sampleRate: 16000, channels: 1 };
  const audioFrames = frames.map((samples, i) => ({ kind: 'audio', timestamp: i * 20, format, samples }));
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < 3; r++) {
    const h = await runNode(vadEnergy, { id: 'vad', inputs: { audio: audioFrames } });
    const t0 = performance.now();
    await h.collect('audio');
    best = Math.min(best, performance.now() - t0);
  }
  report({
    bench: 'energy vad time per 20 ms frame',
    subject: 'audio.vad-energy node (framing, events)',
    value: (best * 1000) / audioFrames.length,
    unit: 'us',
    baseline: 'bare RMS loop',
    baselineValue: baseline,
    digits: 2,
  });
}
