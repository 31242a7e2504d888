// Runs audio.resample (48 → 16 kHz) and audio.vad-silero on a short tone from the built packages
// and prints their warnings and how much audio came through: run with and without --jitless.
import { runNode } from '@beluga-voice/core/testing';
import { resample } from '@beluga-voice/nodes-audio';
import { vadSilero } from '../../dist/index.js';

const format = (sampleRate) => ({ encoding: 'pcm16', sampleRate, channels: 1 });
const frames = (rate) =>
  Array.from({ length: 10 }, (_, k) => ({
    kind: 'audio',
    timestamp: k * 20,
    format: format(rate),
    samples: Int16Array.from({ length: rate / 50 }, (_, i) =>
      Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)),
    ),
  }));
const warnings = (harness) => harness.events.filter((e) => e.type === 'warning').map((e) => `${e.code}: ${e.message}`);
const samples = (out) => out.reduce((n, f) => n + (f.kind === 'audio' ? f.samples.length : 0), 0);

const up = await runNode(resample, {
  config: { sampleRate: 16000 },
  inputs: { audio: frames(48000) },
  inputFormats: { audio: format(48000) },
});
const resampled = await up.collect('audio');
await up.close();
const vad = await runNode(vadSilero, { inputs: { audio: frames(16000) }, inputFormats: { audio: format(16000) } });
const passed = await vad.collect('audio');
await vad.close();
process.stdout.write(
  `${JSON.stringify({
    resample: { warnings: warnings(up), samples: samples(resampled) },
    vad: { warnings: warnings(vad), samples: samples(passed) },
  })}\n`,
);
