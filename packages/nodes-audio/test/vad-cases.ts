import type { AudioFormat, AudioFrame, Frame } from '@beluga-voice/core';
import { Resampler } from '../src/resampler.js';
import { readFixture, speechSegments } from './read-fixture.js';

/** A fixture as 20 ms audio frames, possibly resampled first, with its ground-truth speech in ms. */
export interface VadCase {
  readonly name: string;
  readonly frames: AudioFrame[];
  readonly truth: Array<[number, number]>;
}

export function framesOf(format: AudioFormat, samples: Int16Array, ms = 20): AudioFrame[] {
  const step = ((format.sampleRate * ms) / 1000) * format.channels;
  const out: AudioFrame[] = [];
  for (let i = 0; i < samples.length; i += step) {
    const timestamp = (i / format.channels / format.sampleRate) * 1000;
    out.push({ kind: 'audio', timestamp, format, samples: samples.slice(i, i + step) });
  }
  return out;
}

/** Reads a fixture; with `toRate`, converts it to mono at that rate with the low-quality resampler. */
export function vadCase(file: string, toRate?: number): VadCase {
  const fixture = readFixture(file);
  const truthFile = file.startsWith('two-turns') ? 'two-turns-16k.wav' : file;
  const truth = speechSegments(truthFile).map(([a, b]) => [a * 1000, b * 1000] as [number, number]);
  if (toRate === undefined) return { name: file, frames: framesOf(fixture.format, fixture.samples), truth };
  const r = new Resampler({
    inRate: fixture.format.sampleRate,
    outRate: toRate,
    inChannels: fixture.format.channels,
    outChannels: 1,
    quality: 'low',
  });
  const head = r.process(fixture.samples, 'pcm16');
  const tail = r.flush('pcm16');
  const samples = new Int16Array(head.length + tail.length);
  samples.set(head);
  samples.set(tail, head.length);
  return {
    name: `${file} -> ${toRate} Hz`,
    frames: framesOf({ encoding: 'pcm16', sampleRate: toRate, channels: 1 }, samples),
    truth,
  };
}

/** Pairs speech-start/speech-stop frames into [start, stop] segments in ms. */
export function segmentsOf(frames: Frame[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start: number | undefined;
  for (const f of frames) {
    if (f.kind === 'speech-start') {
      if (start !== undefined)
        throw new Error(`speech-start at ${f.timestamp} ms while speech started at ${start} ms is open`);
      start = f.timestamp;
    } else if (f.kind === 'speech-stop') {
      if (start === undefined) throw new Error(`speech-stop at ${f.timestamp} ms without a speech-start`);
      out.push([start, f.timestamp]);
      start = undefined;
    }
  }
  if (start !== undefined) throw new Error(`speech started at ${start} ms never stopped`);
  return out;
}

/** Largest distance between found and true boundaries, or Infinity when the segment counts differ. */
export function worstBoundaryErrorMs(found: Array<[number, number]>, truth: Array<[number, number]>): number {
  if (found.length !== truth.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let i = 0; i < truth.length; i++) {
    worst = Math.max(worst, Math.abs(found[i][0] - truth[i][0]), Math.abs(found[i][1] - truth[i][1]));
  }
  return worst;
}

/** Distance of every found boundary from the true one, in ms (starts and stops in order); undefined when the segment counts differ. */
export function boundaryErrorsMs(found: Array<[number, number]>, truth: Array<[number, number]>): number[] | undefined {
  if (found.length !== truth.length) return undefined;
  return truth.flatMap(([start, stop], i) => [Math.abs(found[i][0] - start), Math.abs(found[i][1] - stop)]);
}

export function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** espeak-ng voices in pink noise at 10-20 dB SNR, made by scripts/make-noisy-fixtures.mjs. */
export const NOISY_FIXTURES: readonly string[] = [
  'noisy/us-male-snr20-16k.wav',
  'noisy/gb-female-snr15-16k.wav',
  'noisy/us-fast-snr15-16k.wav',
  'noisy/rp-male-snr12-16k.wav',
  'noisy/us-female-snr10-16k.wav',
  'noisy/scottish-snr10-16k.wav',
];

/** The fixtures every VAD is tested on: native 16 kHz files, and the other rates converted. */
export const FIXTURE_CASES: ReadonlyArray<{ file: string; toRate?: number }> = [
  { file: 'two-turns-16k.wav' },
  { file: 'single-utterance-16k.wav' },
  { file: 'interjection-16k.wav' },
  { file: 'two-turns-8k-mulaw.wav', toRate: 16000 },
  { file: 'two-turns-24k.wav', toRate: 16000 },
  { file: 'two-turns-48k-stereo.wav', toRate: 16000 },
];
