// VAD: Silero v5 with our segmenter (audio.vad-silero) on the package's own kernel (WebAssembly
// SIMD), on onnxruntime-node and on onnxruntime-web (WASM), side by side, against LiveKit's Silero
// plugin run in a child process (two onnxruntime-node versions cannot share one process): boundary
// error on every VAD fixture (the repo's and the noisy espeak-ng ones) beside CPU time per 32 ms
// window. Then the energy VAD time per 20 ms frame against a bare RMS loop.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runNode } from '../packages/core/dist/testing/index.js';
import { EnergyVad, vadEnergy } from '../packages/nodes-audio/dist/index.js';
import { SileroVad, vadSilero } from '../packages/vad-silero/dist/index.js';
import { report, timeEach } from './support.mjs';
import { boundaryErrors, median, vadFixtures } from './vad-fixtures.mjs';

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

const audio = speech();
const fixtures = vadFixtures();

/** Worst per-fixture median and max boundary error (ms), with the fixture each comes from. */
function summarise(found) {
  let worstMedian = { value: 0 };
  let worstMax = { value: 0 };
  const all = [];
  for (const [i, f] of fixtures.entries()) {
    const errors = boundaryErrors(found[i], f.truth);
    if (!errors) return { missed: f.name };
    all.push(...errors);
    const m = median(errors);
    const x = Math.max(...errors);
    if (m >= worstMedian.value) worstMedian = { value: m, name: f.name };
    if (x >= worstMax.value) worstMax = { value: x, name: f.name };
  }
  return { worstMedian, worstMax, overallMedian: median(all) };
}

/**
 * audio.vad-silero over every fixture in 20 ms frames, as one stream in one session (each fixture
 * starts with a `discont` frame, which resets the model and the segmenter, as LiveKit's plugin
 * gets one stream per fixture on one session): segments found per fixture, CPU µs per window.
 */
async function ours(backend) {
  const frames = [];
  const offsets = [];
  let offsetMs = 0;
  let count = 0;
  for (const f of fixtures) {
    offsets.push(offsetMs);
    const format = { encoding: 'pcm16', sampleRate: f.sampleRate, channels: 1 };
    const step = f.sampleRate / 50;
    for (let at = 0; at + step <= f.samples.length; at += step) {
      const timestamp = offsetMs + (at / f.sampleRate) * 1000;
      frames.push({ kind: 'audio', timestamp, format, samples: f.samples.slice(at, at + step), discont: at === 0 });
    }
    count += Math.floor(f.samples.length / (f.sampleRate === 16000 ? 512 : 256));
    offsetMs += Math.ceil(f.samples.length / f.sampleRate) * 1000 + 1000;
  }
  // A warm-up pass on the first fixture (the WASM build's first windows are 5-10× slower).
  const warmUp = frames.filter((f) => f.timestamp < offsets[1]);
  const w = await runNode(vadSilero, { id: 'vad', config: { backend }, inputs: { audio: warmUp } });
  await w.collect('events');
  await w.close();
  const h = await runNode(vadSilero, { id: 'vad', config: { backend }, inputs: { audio: frames } });
  const cpu = process.cpuUsage();
  const events = await h.collect('events');
  const used = process.cpuUsage(cpu);
  await h.close();
  const found = fixtures.map(() => []);
  for (const e of events) {
    const k = offsets.findLastIndex((o) => o <= e.timestamp);
    const t = e.timestamp - offsets[k];
    if (e.kind === 'speech-start') found[k].push([t]);
    else found[k].at(-1).push(t);
  }
  return { found, cpuUsPerWindow: (used.user + used.system) / count };
}

/** The bare model: CPU µs per 32 ms window of SileroVad.probability, after a warm-up. */
async function modelCpu(backend) {
  const items = windows(audio, 512, 4);
  const vad = await SileroVad.load({ backend });
  vad.start(16000);
  for (const w of items.slice(0, 200)) await vad.probability(w);
  const cpu = process.cpuUsage();
  for (const w of items) await vad.probability(w);
  const used = process.cpuUsage(cpu);
  await vad.close();
  return (used.user + used.system) / items.length;
}

/** Installs the LiveKit baseline beside the bench on first use (install scripts off: its onnxruntime-node ships CPU binaries). */
function installLivekit() {
  const dir = fileURLToPath(new URL('livekit/', import.meta.url));
  if (existsSync(`${dir}node_modules/@livekit/agents-plugin-silero`)) return true;
  const npm = spawnSync('npm', ['install', '--ignore-scripts', '--no-package-lock', '--no-audit', '--no-fund'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (npm.status === 0) return true;
  console.error(
    `could not install LiveKit's Silero plugin in bench/livekit: ${(npm.stderr || npm.error?.message || '').trim().split('\n')[0]}`,
  );
  return false;
}

function livekit() {
  if (!installLivekit()) return undefined;
  const child = spawnSync(process.execPath, [fileURLToPath(new URL('livekit/vad-silero.child.mjs', import.meta.url))], {
    encoding: 'utf8',
    timeout: 150_000,
  });
  const line = child.stdout?.split('\n').find((l) => l.startsWith('{'));
  if (child.status !== 0 || !line) {
    const why = (child.stderr || child.error?.message || `exit ${child.status}`).trim().split('\n')[0];
    console.error(`LiveKit's Silero plugin did not run (${why})`);
    return undefined;
  }
  const out = JSON.parse(line);
  return { found: out.results.map((r) => r.found), cpuUsPerWindow: out.cpuUsPerWindow };
}

{
  const lk = livekit();
  const lkSummary = lk && summarise(lk.found);
  for (const backend of ['kernel', 'node', 'web']) {
    const run = await ours(backend);
    const s = summarise(run.found);
    if (s.missed) throw new Error(`audio.vad-silero (${backend}) missed or split a segment of ${s.missed}`);
    const compare = (label, value, lkValue, unit, target) =>
      report({
        bench: 'silero vad',
        subject: `audio.vad-silero ${backend}: ${label}`,
        value,
        unit,
        baseline: lk ? "LiveKit's Silero plugin (child process)" : 'LiveKit plugin not installed',
        baselineValue: lkValue ?? Number.NaN,
        target,
        digits: 1,
      });
    compare(
      `worst fixture median boundary error (${s.worstMedian.name})`,
      s.worstMedian.value,
      lkSummary?.worstMedian?.value,
      'ms',
      '<= 30 ms',
    );
    compare(
      `worst boundary error (${s.worstMax.name})`,
      s.worstMax.value,
      lkSummary?.worstMax?.value,
      'ms',
      '<= 80 ms',
    );
    compare('median boundary error, all fixtures', s.overallMedian, lkSummary?.overallMedian, 'ms');
    compare(
      'node CPU per 32 ms window (model, framing, segmenter)',
      run.cpuUsPerWindow,
      lk?.cpuUsPerWindow,
      'us',
      '<= 300 us',
    );
  }
  const native = await modelCpu('node');
  for (const [backend, label] of [
    ['kernel', "the package's kernel (WebAssembly SIMD)"],
    ['web', 'onnxruntime-web (WASM)'],
  ]) {
    report({
      bench: 'silero vad',
      subject: `SileroVad.probability CPU per window, ${label}`,
      value: await modelCpu(backend),
      unit: 'us',
      baseline: 'the same on onnxruntime-node',
      baselineValue: native,
      digits: 1,
    });
  }
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
