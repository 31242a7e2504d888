// The VAD fixtures of the tests, for the benches (which run on the built packages): each as mono
// pcm16 at 16 or 8 kHz with its ground-truth speech in ms, followed by 1 s of silence so that
// every VAD (LiveKit's too, which only ends speech on silence) closes the last segment.
import { readFileSync } from 'node:fs';
import { decodeWav } from '../packages/core/dist/audio/index.js';
import { Resampler } from '../packages/nodes-audio/dist/index.js';

const root = new URL('../fixtures/audio/', import.meta.url);
const segments = (folder) => JSON.parse(readFileSync(new URL(`${folder}segments.json`, root), 'utf8'));

const CASES = [
  ['two-turns-16k.wav'],
  ['single-utterance-16k.wav'],
  ['interjection-16k.wav'],
  ['two-turns-8k-mulaw.wav', 16000],
  ['two-turns-24k.wav', 16000],
  ['two-turns-48k-stereo.wav', 16000],
  ['two-turns-8k-mulaw.wav'],
  ['two-turns-48k-stereo.wav', 8000],
  ...Object.keys(segments('noisy/'))
    .filter((name) => name.endsWith('.wav'))
    .map((name) => [`noisy/${name}`]),
];

function truthOf(file) {
  const slash = file.lastIndexOf('/');
  const name = file.startsWith('two-turns') ? 'two-turns-16k.wav' : file.slice(slash + 1);
  return segments(file.slice(0, slash + 1))[name].speech.map(([a, b]) => [a * 1000, b * 1000]);
}

/** @returns {{ name: string, sampleRate: number, samples: Int16Array, truth: Array<[number, number]> }[]} */
export function vadFixtures() {
  return CASES.map(([file, toRate]) => {
    const wav = decodeWav(readFileSync(new URL(file, root)), file, 'pcm16');
    const { channels, sampleRate } = wav.format;
    let samples = wav.samples;
    const rate = toRate ?? sampleRate;
    if (rate !== sampleRate || channels !== 1) {
      const r = new Resampler({
        inRate: sampleRate,
        outRate: rate,
        inChannels: channels,
        outChannels: 1,
        quality: 'low',
      });
      const head = r.process(samples, 'pcm16');
      const tail = r.flush('pcm16');
      samples = new Int16Array(head.length + tail.length);
      samples.set(head);
      samples.set(tail, head.length);
    }
    const padded = new Int16Array(samples.length + rate);
    padded.set(samples);
    return {
      name: toRate ? `${file} -> ${toRate / 1000} kHz` : file,
      sampleRate: rate,
      samples: padded,
      truth: truthOf(file),
    };
  });
}

/** Boundary errors (ms) of found segments against the truth; undefined when the counts differ. */
export function boundaryErrors(found, truth) {
  if (found.length !== truth.length) return undefined;
  return truth.flatMap(([a, b], i) => [Math.abs(found[i][0] - a), Math.abs(found[i][1] - b)]);
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
