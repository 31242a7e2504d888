// Resampling 48k -> 24k and 16k -> 24k: time per 20 ms frame and stopband attenuation of
// @beluga-voice/nodes-audio's resampler, against ffmpeg's (swresample, through prism-media) and
// two JS resamplers from npm (libsamplerate-js, a WASM build of libsamplerate, and wave-resampler).
import { createRequire } from 'node:module';
import libsamplerate from '@alexanderolsen/libsamplerate-js';
import waveResampler from 'wave-resampler';
import { fitTone } from '../packages/core/dist/testing/index.js';
import { Resampler } from '../packages/nodes-audio/dist/index.js';
import { rms, testSignal } from './support.mjs';

const require = createRequire(new URL('../packages/nodes-audio/package.json', import.meta.url));
const prism = require('prism-media');
const { create: createSrc, ConverterType } = libsamplerate;

const SIGNAL_SECONDS = 10;

function sine(rate, freq, frames, amplitude = 0.5) {
  return Float32Array.from({ length: frames }, (_, i) => amplitude * Math.sin((2 * Math.PI * freq * i) / rate));
}

function chunks(samples, frameSize) {
  const out = [];
  for (let i = 0; i < samples.length; i += frameSize) out.push(samples.subarray(i, i + frameSize));
  return out;
}

/** RMS of what is left after removing the best-fitting sinusoid at `freq`, relative to that sinusoid. */
function residualDb(x, rate, freq, from, to) {
  const fit = fitTone(x, rate, freq, from, to);
  return 20 * Math.log10(fit.residualRms / (fit.amplitude / Math.SQRT2));
}

/**
 * Stopband attenuation in dB (positive): downsampling, the worst level of tones between the
 * output Nyquist and the input Nyquist; upsampling, the worst image of tones up to 0.45 × the
 * input rate. The tones go through in one signal (0.5 s each, 0.1 s of silence between), and
 * the middle 0.3 s of each is measured.
 */
async function attenuation(run, inRate, outRate) {
  const tones = [];
  if (inRate > outRate) for (let k = 1; k < 10; k++) tones.push(outRate / 2 + (k * (inRate - outRate)) / 20);
  else for (let k = 1; k <= 9; k++) tones.push(inRate * 0.05 * k);
  const slot = 0.6;
  const input = new Float32Array(Math.round(inRate * slot * tones.length));
  for (const [k, f] of tones.entries()) input.set(sine(inRate, f, inRate / 2), Math.round(k * slot * inRate));
  const out = await run(input);
  const worst = tones.map((f, k) => {
    const from = Math.round((k * slot + 0.1) * outRate);
    const to = Math.round((k * slot + 0.4) * outRate);
    const level = rms(out, from, to) / (0.5 / Math.SQRT2);
    return inRate > outRate ? 20 * Math.log10(level) : residualDb(out, outRate, f, from, to);
  });
  return -Math.max(...worst);
}

const subjects = {
  'beluga high': {
    streaming: (inRate, outRate) => {
      const r = new Resampler({ inRate, outRate, inChannels: 1, outChannels: 1, quality: 'high' });
      return { push: (c) => r.process(c, 'f32'), end: () => r.flush('f32') };
    },
  },
  'beluga low': {
    streaming: (inRate, outRate) => {
      const r = new Resampler({ inRate, outRate, inChannels: 1, outChannels: 1, quality: 'low' });
      return { push: (c) => r.process(c, 'f32'), end: () => r.flush('f32') };
    },
  },
};

const baselines = {
  'ffmpeg swresample (prism-media)': { whole: ffmpegResample },
  'libsamplerate-js SINC_MEDIUM_QUALITY': { streamingAsync: srcStreaming(ConverterType.SRC_SINC_MEDIUM_QUALITY) },
  'libsamplerate-js SINC_FASTEST': { streamingAsync: srcStreaming(ConverterType.SRC_SINC_FASTEST) },
  'wave-resampler sinc': {
    whole: async (x, inRate, outRate) =>
      Float32Array.from(waveResampler.resample(x, inRate, outRate, { method: 'sinc', LPF: true })),
  },
};

function srcStreaming(converterType) {
  return async (inRate, outRate) => {
    const src = await createSrc(1, inRate, outRate, { converterType });
    return {
      push: (c) => src.full(c),
      end: () => {
        src.destroy();
        return new Float32Array(0);
      },
    };
  };
}

/** Streams the samples through an ffmpeg child process in 20 ms writes; resolves with all output. */
function ffmpegResample(x, inRate, outRate) {
  return new Promise((resolve, reject) => {
    const ff = new prism.FFmpeg({
      args: [
        '-hide_banner',
        '-loglevel',
        'error',
        '-f',
        'f32le',
        '-ar',
        `${inRate}`,
        '-ac',
        '1',
        '-i',
        '-',
        '-f',
        'f32le',
        '-ar',
        `${outRate}`,
        '-ac',
        '1',
      ],
    });
    const parts = [];
    ff.on('data', (b) => parts.push(b));
    ff.on('end', () => {
      const bytes = Buffer.concat(parts);
      resolve(new Float32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.length / 4)));
    });
    ff.on('error', reject);
    for (const c of chunks(x, inRate / 50)) ff.write(Buffer.from(c.buffer, c.byteOffset, c.byteLength));
    ff.end();
  });
}

/** A uniform runner: resolves with the full output of `impl` for `x`, processed in 20 ms frames when it streams. */
function runnerFor(impl, inRate, outRate) {
  if (impl.whole) return (x) => impl.whole(x, inRate, outRate);
  return async (x) => {
    const s = impl.streaming ? impl.streaming(inRate, outRate) : await impl.streamingAsync(inRate, outRate);
    const parts = chunks(x, inRate / 50).map((c) => Float32Array.from(s.push(c)));
    parts.push(Float32Array.from(s.end()));
    const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  };
}

/** Microseconds per 20 ms input frame, amortised over the whole signal (best of `runs`). */
async function timePerFrame(impl, inRate, outRate, signal, runs = 3) {
  const frames = signal.length / (inRate / 50);
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const run = runnerFor(impl, inRate, outRate);
    const t0 = performance.now();
    await run(signal);
    best = Math.min(best, performance.now() - t0);
  }
  return (best * 1000) / frames;
}

const round = (v, digits = 2) => Number(v.toFixed(digits));

for (const [inRate, outRate] of [
  [48000, 24000],
  [16000, 24000],
]) {
  const bench = `resample ${inRate / 1000}k->${outRate / 1000}k`;
  const signal = testSignal(inRate, SIGNAL_SECONDS);
  const results = new Map();
  for (const [name, impl] of [...Object.entries(subjects), ...Object.entries(baselines)]) {
    // wave-resampler is slow; a shorter signal keeps the bench within its time budget.
    const s = name.startsWith('wave-resampler') ? signal.subarray(0, inRate * 3) : signal;
    const time = await timePerFrame(impl, inRate, outRate, s, name.startsWith('wave-resampler') ? 1 : 2);
    const att = await attenuation(runnerFor(impl, inRate, outRate), inRate, outRate);
    results.set(name, { time, att });
  }
  for (const subject of Object.keys(subjects)) {
    const ours = results.get(subject);
    for (const baseline of Object.keys(baselines)) {
      const theirs = results.get(baseline);
      console.log(
        JSON.stringify({
          bench: `${bench} time per 20 ms frame`,
          subject,
          value: round(ours.time),
          unit: 'us',
          baseline,
          baselineValue: round(theirs.time),
          ratio: round(ours.time / theirs.time, 3),
        }),
      );
      console.log(
        JSON.stringify({
          bench: `${bench} stopband attenuation`,
          subject,
          value: round(ours.att, 1),
          unit: 'dB',
          baseline,
          baselineValue: round(theirs.att, 1),
          ratio: round(ours.att / theirs.att, 3),
          ...(subject === 'beluga high' ? { target: '>= 80 dB' } : {}),
        }),
      );
    }
  }
}
