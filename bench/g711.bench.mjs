// G.711 speed: the table-based μ-law/A-law codec against the same reference algorithm computed
// sample by sample (segment search and shifts, as g711.c does), per 20 ms frame at 8 kHz; and the
// WAV reader against ffmpeg (through prism-media) decoding the same file to s16le.

import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { g711Decode, g711Encode } from '../packages/core/dist/audio/index.js';
import { readWav } from '../packages/nodes-audio/dist/index.js';
import { keep, report, timeEach } from './support.mjs';

const require = createRequire(new URL('../packages/nodes-audio/package.json', import.meta.url));
const prism = require('prism-media');

const fixture = (name) => fileURLToPath(new URL(`../fixtures/audio/${name}`, import.meta.url));

/** The reference μ-law encoder, one sample at a time (the baseline). */
function mulawReference(pcm) {
  const ends = [0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff];
  let value = pcm >> 2;
  let mask = 0xff;
  if (value < 0) {
    value = -value;
    mask = 0x7f;
  }
  if (value > 8159) value = 8159;
  value += 0x84 >> 2;
  let seg = 0;
  while (seg < 8 && value > ends[seg]) seg++;
  if (seg >= 8) return 0x7f ^ mask;
  return ((seg << 4) | ((value >> (seg + 1)) & 0x0f)) ^ mask;
}

function mulawReferenceDecode(byte) {
  const u = ~byte & 0xff;
  const t = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
  return u & 0x80 ? 0x84 - t : t - 0x84;
}

const { samples } = await readWav(fixture('two-turns-8k-mulaw.wav'), 'pcm16');
const frames = [];
for (let r = 0; r < 20; r++)
  for (let i = 0; i + 160 <= samples.length; i += 160) frames.push(samples.subarray(i, i + 160));
const out = new Uint8Array(160);
const back = new Int16Array(160);

const encodeTable = timeEach(frames, (f) => g711Encode('mulaw', f, out)[0], 5);
const encodeReference = timeEach(
  frames,
  (f) => {
    for (let i = 0; i < f.length; i++) out[i] = mulawReference(f[i]);
    return out[0];
  },
  5,
);
report({
  bench: 'g711',
  subject: 'mulaw encode (tables), 20 ms @ 8 kHz',
  value: encodeTable,
  unit: 'us/frame',
  baseline: 'reference algorithm per sample',
  baselineValue: encodeReference,
});

const encoded = frames.map((f) => g711Encode('mulaw', f));
const decodeTable = timeEach(encoded, (f) => g711Decode('mulaw', f, back)[0], 5);
const decodeReference = timeEach(
  encoded,
  (f) => {
    for (let i = 0; i < f.length; i++) back[i] = mulawReferenceDecode(f[i]);
    return back[0];
  },
  5,
);
report({
  bench: 'g711',
  subject: 'mulaw decode (tables), 20 ms @ 8 kHz',
  value: decodeTable,
  unit: 'us/frame',
  baseline: 'reference algorithm per sample',
  baselineValue: decodeReference,
});

/** ffmpeg decoding a WAV to s16le through prism-media, in ms per file. */
function ffmpegDecode(path) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const transcoder = new prism.FFmpeg({
      args: ['-loglevel', 'error', '-i', path, '-f', 's16le', '-acodec', 'pcm_s16le'],
    });
    let bytes = 0;
    transcoder.process.stdout.on('data', (d) => (bytes += d.length));
    transcoder.process.once('close', (code) =>
      code === 0 ? resolve([performance.now() - t0, bytes]) : reject(new Error(`ffmpeg exit ${code}`)),
    );
  });
}

const wav = fixture('two-turns-48k-stereo.wav');
let readerBest = Number.POSITIVE_INFINITY;
let ffmpegBest = Number.POSITIVE_INFINITY;
for (let r = 0; r < 5; r++) {
  const t0 = performance.now();
  keep((await readWav(wav, 'pcm16')).samples.length);
  readerBest = Math.min(readerBest, performance.now() - t0);
  const [ms, bytes] = await ffmpegDecode(wav);
  keep(bytes);
  ffmpegBest = Math.min(ffmpegBest, ms);
}
report({
  bench: 'wav-read',
  subject: 'readWav 9.2 s 48 kHz stereo pcm16',
  value: readerBest,
  unit: 'ms/file',
  baseline: 'ffmpeg via prism-media to s16le',
  baselineValue: ffmpegBest,
});
