import { readFileSync } from 'node:fs';
import { repo } from './serve-process.js';

/** The sample bytes of a fixture WAV (its `data` chunk), e.g. μ-law 8 kHz for a simulated phone call. */
export function fixtureSamples(name: string): Uint8Array {
  const file = readFileSync(`${repo}fixtures/audio/${name}`);
  let offset = 12;
  while (offset + 8 <= file.length) {
    const id = file.toString('latin1', offset, offset + 4);
    const size = file.readUInt32LE(offset + 4);
    if (id === 'data') return new Uint8Array(file.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size + (size % 2);
  }
  throw new Error(`${name}: no data chunk`);
}

/** Milliseconds of 20 ms frames louder than -40 dBFS in pcm16 audio. */
export function voicedMs(samples: Int16Array, sampleRate: number): number {
  const frame = sampleRate / 50;
  let voiced = 0;
  for (let start = 0; start + frame <= samples.length; start += frame) {
    let sum = 0;
    for (let i = start; i < start + frame; i++) sum += (samples[i] as number) ** 2;
    if (Math.sqrt(sum / frame) / 32768 > 0.01) voiced += 20;
  }
  return voiced;
}

/** The JSON lines `beluga serve --events` wrote. */
export function readEvents(path: string): Array<Record<string, unknown> & { session: string; type: string }> {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}
