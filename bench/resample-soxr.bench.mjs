// The public Resampler (quality high, pcm16 in and out, 20 ms frames) against soxr HIGH as
// @livekit/rtc-node ships it, on the five pairs of issue 18, in the same run: CPU time per 20 ms
// frame (process CPU time, so a loaded machine's waits do not count; best of several runs, the
// two taking turns), and quality measured the same way for both: alias (or image) rejection,
// passband ripple and the SNR of a multi-tone signal.
import { AudioFrame, AudioResampler, AudioResamplerQuality } from '@livekit/rtc-node';
import { fitTone } from '../packages/core/dist/testing/index.js';
import { Resampler } from '../packages/nodes-audio/dist/index.js';
import { keep, report, rms, testSignal } from './support.mjs';

const PAIRS = [
  [48000, 16000],
  [16000, 24000],
  [24000, 48000],
  [44100, 16000],
  [8000, 24000],
];
const SIGNAL_SECONDS = 5;
const RUNS = 7;

const subjects = {
  beluga: (inRate, outRate) => {
    const r = new Resampler({ inRate, outRate, inChannels: 1, outChannels: 1, quality: 'high' });
    return { push: (chunk) => [r.process(chunk, 'pcm16')], end: () => [r.flush('pcm16')] };
  },
  soxr: (inRate, outRate) => {
    const r = new AudioResampler(inRate, outRate, 1, AudioResamplerQuality.HIGH);
    return {
      // The binding reads a sample array from the start of its buffer, ignoring its offset: a subarray needs a copy.
      push: (chunk) => r.push(new AudioFrame(chunk.slice(), inRate, 1, chunk.length)).map((f) => f.data),
      end: () => {
        const tail = r.flush().map((f) => f.data);
        r.close();
        return tail;
      },
    };
  },
};

const toPcm16 = (x) => Int16Array.from(x, (v) => Math.max(-32768, Math.min(32767, Math.round(v * 32768))));

/** Speech-band tones plus noise, deterministic, as pcm16. */
const pcm16Signal = (rate) => toPcm16(testSignal(rate, SIGNAL_SECONDS));

function tones(rate, freqs, seconds, amplitude) {
  const out = new Float32Array(Math.round(rate * seconds));
  for (const [k, f] of freqs.entries()) {
    const phase = k * 0.7;
    for (let i = 0; i < out.length; i++) out[i] += amplitude * Math.sin((2 * Math.PI * f * i) / rate + phase);
  }
  return out;
}

function frames(samples, size) {
  const out = [];
  for (let i = 0; i < samples.length; i += size) out.push(samples.subarray(i, i + size));
  return out;
}

/** The whole output of `subject` for pcm16 `input` pushed in 20 ms frames, as floats. */
function run(subject, inRate, outRate, input) {
  const s = subject(inRate, outRate);
  const parts = [];
  for (const f of frames(input, inRate / 50)) parts.push(...s.push(f));
  parts.push(...s.end());
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) for (let i = 0; i < p.length; i++) out[o++] = p[i] / 32768;
  return out;
}

const db = (ratio) => 20 * Math.log10(ratio);
/** RMS of pcm16 rounding noise: a level below it cannot be told from silence after rounding. */
const QUANTIZATION_RMS = 2 ** -15 / Math.sqrt(12);

/**
 * Alias rejection (downsampling: the worst level of tones from the output Nyquist to the input
 * Nyquist) or image rejection (upsampling: the worst residual besides tones up to 0.45 × the
 * input rate), in dB below the tone (positive). Tones at 0.9 full scale, one per 0.6 s slot; a
 * level below pcm16 rounding noise counts as that noise (about 98 dB down).
 */
function rejection(subject, inRate, outRate) {
  const freqs = [];
  if (inRate > outRate) for (let k = 0; k < 10; k++) freqs.push(outRate / 2 + (k * (inRate - outRate)) / 20);
  else for (let k = 0; k <= 10; k++) freqs.push(inRate * (0.02 + k * 0.043));
  const slot = 0.6;
  const input = new Float32Array(Math.round(inRate * slot * freqs.length));
  for (const [k, f] of freqs.entries()) input.set(tones(inRate, [f], 0.5, 0.9), Math.round(k * slot * inRate));
  const out = run(subject, inRate, outRate, toPcm16(input));
  const levels = freqs.map((f, k) => {
    const from = Math.round((k * slot + 0.1) * outRate);
    const to = Math.round((k * slot + 0.4) * outRate);
    if (inRate > outRate) return db(Math.max(QUANTIZATION_RMS, rms(out, from, to)) / (0.9 / Math.SQRT2));
    const fit = fitTone(out, outRate, f, from, to);
    return db(Math.max(QUANTIZATION_RMS, fit.residualRms) / (fit.amplitude / Math.SQRT2));
  });
  return -Math.max(...levels);
}

/** Largest gain deviation (dB, absolute) of tones from 0.01 to 0.45 × the lower rate. */
function ripple(subject, inRate, outRate) {
  const lower = Math.min(inRate, outRate);
  let worst = 0;
  for (let k = 0; k <= 16; k++) {
    const f = lower * (0.01 + k * 0.0275);
    const out = run(subject, inRate, outRate, toPcm16(tones(inRate, [f], 0.5, 0.5)));
    const edge = outRate / 20;
    worst = Math.max(worst, Math.abs(db(fitTone(out, outRate, f, edge, out.length - edge).amplitude / 0.5)));
  }
  return worst;
}

/**
 * SNR of eight passband tones at whole Hz (so that they are orthogonal over one second): power of
 * the fitted tones over the power of what is left, in the output's second second. Counts noise,
 * distortion and pcm16 quantization, not gain or delay.
 */
function snr(subject, inRate, outRate) {
  const lower = Math.min(inRate, outRate);
  const freqs = Array.from({ length: 8 }, (_, k) => Math.round(lower * (0.02 + k * 0.06)));
  const out = run(subject, inRate, outRate, toPcm16(tones(inRate, freqs, 3, 0.11)));
  const residual = out.slice(outRate, 2 * outRate);
  let signal = 0;
  for (const f of freqs) {
    const fit = fitTone(residual, outRate, f, 0, outRate);
    signal += fit.amplitude ** 2 / 2;
    for (let i = 0; i < outRate; i++) residual[i] -= fit.wave(i);
  }
  return 10 * Math.log10(signal / rms(residual, 0, outRate) ** 2);
}

/** CPU microseconds per 20 ms input frame, best of `RUNS` for each subject, the subjects taking turns. */
function cpuPerFrame(inRate, outRate) {
  const input = frames(pcm16Signal(inRate), inRate / 50);
  const best = { beluga: Number.POSITIVE_INFINITY, soxr: Number.POSITIVE_INFINITY };
  for (let r = 0; r <= RUNS; r++) {
    for (const [name, subject] of Object.entries(subjects)) {
      const s = subject(inRate, outRate);
      const start = process.cpuUsage();
      for (const f of input) for (const out of s.push(f)) keep(out.length);
      const used = process.cpuUsage(start);
      for (const out of s.end()) keep(out.length);
      // The first run warms up.
      if (r > 0) best[name] = Math.min(best[name], (used.user + used.system) / input.length);
    }
  }
  return best;
}

for (const [inRate, outRate] of PAIRS) {
  const pair = `resample ${inRate / 1000}k->${outRate / 1000}k`;
  const time = cpuPerFrame(inRate, outRate);
  report({
    bench: `${pair} CPU per 20 ms frame (pcm16, high)`,
    subject: 'beluga Resampler',
    value: time.beluga,
    unit: 'us',
    baseline: 'soxr HIGH (@livekit/rtc-node)',
    baselineValue: time.soxr,
    target: 'ratio <= 1.5',
    digits: 1,
  });
  const measures = [
    ['alias rejection', rejection, 'dB', '>= 80 dB'],
    ['passband ripple', ripple, 'dB', '<= 0.1 dB'],
    ['SNR (8 tones, pcm16)', snr, 'dB', '>= 85 dB'],
  ];
  for (const [name, measure, unit, target] of measures) {
    report({
      bench: `${pair} ${name}`,
      subject: 'beluga Resampler',
      value: measure(subjects.beluga, inRate, outRate),
      unit,
      baseline: 'soxr HIGH (@livekit/rtc-node)',
      baselineValue: measure(subjects.soxr, inRate, outRate),
      target,
      digits: name === 'passband ripple' ? 5 : 1,
    });
  }
}
// The native library keeps the event loop alive.
process.exit(0);
