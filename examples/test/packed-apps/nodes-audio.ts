// A user's file against @beluga-voice/core + @beluga-voice/nodes-audio: a WAV resampled to 24 kHz.
import { readFileSync } from 'node:fs';
import { GraphBuilder, Registry } from '@beluga-voice/core';
import { nodes as coreNodes } from '@beluga-voice/core/nodes';
import { readWav } from '@beluga-voice/nodes-audio';
import { nodes as audioNodes } from '@beluga-voice/nodes-audio/nodes';

const graph = new GraphBuilder(new Registry([...coreNodes, ...audioNodes]), 'packed-audio')
  .node('mic', 'audio.file-source', { path: 'input.wav', pace: 'fast' })
  .node('up', 'audio.resample', { sampleRate: 24_000 })
  .node('out', 'audio.file-sink', { path: 'out/resampled.wav' })
  .chain('mic', 'up', 'out')
  .build();
await graph.start({ baseDir: process.cwd() }).done;
const wav = await readWav('out/resampled.wav');
const header = readFileSync('out/resampled.wav');
console.log(
  JSON.stringify({ riff: header.subarray(0, 4).toString(), format: wav.format, samples: wav.samples.length }),
);
