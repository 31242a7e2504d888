// Generates the noisy speech fixtures of the VAD tests and bench: espeak-ng voices placed on a
// timeline, mixed with pink noise at a set SNR, 16 kHz mono pcm16, with ground-truth segments
// (where each trimmed utterance was placed) in fixtures/audio/noisy/segments.json.
// Needs espeak-ng and the built packages (`pnpm build`). Deterministic: the noise is seeded.
//   node scripts/make-noisy-fixtures.mjs
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeWav, rmsDb, wavHeader } from '../packages/core/dist/audio/index.js';
import { Resampler } from '../packages/nodes-audio/dist/index.js';

const RATE = 16000;
const TRIM_BELOW_ACTIVE_DB = 25;
const OUT = new URL('../fixtures/audio/noisy/', import.meta.url);

/** Each file: a voice, an SNR, silence before each utterance (ms), the utterances and the tail. */
const FIXTURES = [
  {
    name: 'us-male-snr20',
    voice: 'en-us',
    speed: 165,
    pitch: 45,
    snrDb: 20,
    seed: 1,
    parts: [
      [700, 'Could you book a table for two at seven tonight'],
      [1400, 'Actually make that eight'],
      [900, ''],
    ],
  },
  {
    name: 'gb-female-snr15',
    voice: 'en-gb+f3',
    speed: 175,
    pitch: 60,
    snrDb: 15,
    seed: 2,
    parts: [
      [450, 'What is the weather like in Lisbon tomorrow'],
      [1100, 'And on Sunday'],
      [800, ''],
    ],
  },
  {
    name: 'us-female-snr10',
    voice: 'en-us+f2',
    speed: 150,
    pitch: 70,
    snrDb: 10,
    seed: 3,
    parts: [
      [900, 'Please read me the last message from Anna'],
      [1600, 'Thanks that is all'],
      [700, ''],
    ],
  },
  {
    name: 'rp-male-snr12',
    voice: 'en-gb-x-rp+m3',
    speed: 185,
    pitch: 35,
    snrDb: 12,
    seed: 4,
    parts: [
      [600, 'Turn the kitchen lights off'],
      [1200, 'No wait leave them on'],
      [1000, ''],
    ],
  },
  {
    name: 'scottish-snr10',
    voice: 'en-gb-scotland',
    speed: 160,
    pitch: 50,
    snrDb: 10,
    seed: 5,
    parts: [
      [800, 'How long does the train to Glasgow take'],
      [1500, 'Is there an earlier one'],
      [900, ''],
    ],
  },
  {
    name: 'us-fast-snr15',
    voice: 'en-us+m5',
    speed: 210,
    pitch: 55,
    snrDb: 15,
    seed: 6,
    parts: [
      [1000, 'Set a timer for twelve minutes'],
      [1300, 'Cancel it'],
      [800, ''],
    ],
  },
];

/** An utterance spoken by espeak-ng, at 16 kHz, trimmed to the speech audible over noise at `snrDb`. */
function speak(text, { voice, speed, pitch, snrDb }) {
  // To a file: on stdout espeak-ng cannot seek back to write the data size.
  const dir = mkdtempSync(join(tmpdir(), 'espeak-'));
  const path = join(dir, 'say.wav');
  execFileSync('espeak-ng', ['-v', voice, '-s', String(speed), '-p', String(pitch), '-w', path, text]);
  const wav = decodeWav(readFileSync(path), `espeak-ng "${text}"`, 'f32');
  rmSync(dir, { recursive: true, force: true });
  const resampler = new Resampler({
    inRate: wav.format.sampleRate,
    outRate: RATE,
    inChannels: 1,
    outChannels: 1,
    quality: 'high',
  });
  const head = resampler.process(wav.samples, 'f32');
  const tail = resampler.flush('f32');
  const samples = new Float32Array(head.length + tail.length);
  samples.set(head);
  samples.set(tail, head.length);
  return trimToSpeech(samples, snrDb);
}

/**
 * The audible speech of an utterance in noise at `snrDb`: from the first to the last 10 ms block
 * whose level reaches the noise level (active level - SNR), or `TRIM_BELOW_ACTIVE_DB` below the
 * active level when the noise is quieter than that. The active level is the mean power of the
 * blocks above -50 dBFS. Fainter onsets and tails lie under the noise: no VAD can hear them.
 */
function trimToSpeech(samples, snrDb) {
  const block = RATE / 100;
  const levels = [];
  for (let i = 0; i + block <= samples.length; i += block) levels.push(rmsDb(samples, i, i + block));
  const active = levels.filter((db) => db > -50);
  const activeDb = 10 * Math.log10(active.reduce((sum, db) => sum + 10 ** (db / 10), 0) / active.length);
  const audible = (db) => db >= activeDb - Math.min(TRIM_BELOW_ACTIVE_DB, snrDb);
  const first = levels.findIndex(audible);
  const last = levels.findLastIndex(audible);
  return samples.subarray(first * block, (last + 1) * block);
}

/** Seeded uniform numbers in [0, 1) (mulberry32). */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Pink (1/f) noise: white noise through Paul Kellet's economy filter. */
function pinkNoise(length, seed) {
  const next = random(seed);
  const out = new Float32Array(length);
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  for (let i = 0; i < length; i++) {
    const white = next() * 2 - 1;
    b0 = 0.99765 * b0 + white * 0.099046;
    b1 = 0.963 * b1 + white * 0.2965164;
    b2 = 0.57 * b2 + white * 1.0526913;
    out[i] = b0 + b1 + b2 + white * 0.1848;
  }
  return out;
}

const power = (x) => x.reduce((sum, v) => sum + v * v, 0) / x.length;

mkdirSync(OUT, { recursive: true });
const truth = {
  note: 'espeak-ng utterances trimmed to the 10 ms blocks at or above the noise level (active speech level - SNR, at most 25 dB below it), placed after the given silences, mixed with seeded pink noise at the given SNR (speech power over noise power); made by scripts/make-noisy-fixtures.mjs',
};
for (const fixture of FIXTURES) {
  const pieces = [];
  const speech = [];
  let at = 0;
  for (const [silenceMs, text] of fixture.parts) {
    at += Math.round((silenceMs * RATE) / 1000);
    if (!text) continue;
    const voice = speak(text, fixture);
    pieces.push([at, voice]);
    speech.push([at / RATE, (at + voice.length) / RATE]);
    at += voice.length;
  }
  const mix = new Float32Array(at);
  for (const [start, voice] of pieces) mix.set(voice, start);
  const speechPower = power(Float32Array.from(pieces.flatMap(([, v]) => Array.from(v))));
  const noise = pinkNoise(at, fixture.seed);
  const gain = Math.sqrt(speechPower / (power(noise) * 10 ** (fixture.snrDb / 10)));
  const pcm = new Int16Array(at);
  for (let i = 0; i < at; i++)
    pcm[i] = Math.max(-32768, Math.min(32767, Math.round((mix[i] + gain * noise[i]) * 32768)));
  const file = `${fixture.name}-16k.wav`;
  const header = wavHeader({ encoding: 'pcm16', sampleRate: RATE, channels: 1 }, pcm.byteLength);
  writeFileSync(new URL(file, OUT), Buffer.concat([header, new Uint8Array(pcm.buffer)]));
  truth[file] = {
    speech: speech.map(([a, b]) => [Number(a.toFixed(4)), Number(b.toFixed(4))]),
    total_s: Number((at / RATE).toFixed(4)),
    voice: fixture.voice,
    snr_db: fixture.snrDb,
  };
  console.log(`${file}: ${(at / RATE).toFixed(2)} s, speech ${JSON.stringify(truth[file].speech)}`);
}
writeFileSync(new URL('segments.json', OUT), `${JSON.stringify(truth, null, 1)}\n`);
