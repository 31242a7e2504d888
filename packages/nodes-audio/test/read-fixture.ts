import { readFileSync } from 'node:fs';
import type { AudioFormat } from '@beluga-voice/core';

/** Test-only WAV reading for the fixtures (PCM16 and G.711 μ-law), independent of the package's reader. */
export interface Fixture {
  readonly format: AudioFormat;
  /** PCM16 samples (μ-law files are decoded). */
  readonly samples: Int16Array;
}

export function fixtureUrl(name: string): URL {
  return new URL(`../../../fixtures/audio/${name}`, import.meta.url);
}

/** Ground truth: speech segments in seconds per fixture file (`noisy/x.wav`: from `noisy/segments.json`). */
export function speechSegments(name: string): Array<[number, number]> {
  const slash = name.lastIndexOf('/');
  const folder = name.slice(0, slash + 1);
  const all = JSON.parse(readFileSync(fixtureUrl(`${folder}segments.json`), 'utf8')) as Record<
    string,
    { speech: Array<[number, number]> }
  >;
  return all[name.slice(slash + 1)].speech;
}

/** G.711 μ-law byte to a 16-bit sample (ITU-T G.711 expansion). */
export const MULAW_TO_PCM16: Int16Array = (() => {
  const table = new Int16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    const u = ~byte & 0xff;
    const magnitude = (((u & 0x0f) << 3) + 0x84) << ((u >> 4) & 0x07);
    table[byte] = u & 0x80 ? 0x84 - magnitude : magnitude - 0x84;
  }
  return table;
})();

export function readFixture(name: string): Fixture {
  const bytes = readFileSync(fixtureUrl(name));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE')
    throw new Error(`${name}: not a WAV file`);
  let formatTag = 0;
  let channels = 0;
  let sampleRate = 0;
  let bits = 0;
  for (let offset = 12; offset + 8 <= bytes.length; ) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      formatTag = view.getUint16(body, true);
      channels = view.getUint16(body + 2, true);
      sampleRate = view.getUint32(body + 4, true);
      bits = view.getUint16(body + 14, true);
    } else if (id === 'data') {
      const data = bytes.subarray(body, body + size);
      if (formatTag === 1 && bits === 16) {
        const samples = new Int16Array(data.length / 2);
        for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(body + 2 * i, true);
        return { format: { encoding: 'pcm16', sampleRate, channels }, samples };
      }
      if (formatTag === 7) {
        const samples = new Int16Array(data.length);
        for (let i = 0; i < data.length; i++) samples[i] = MULAW_TO_PCM16[data[i]];
        return { format: { encoding: 'pcm16', sampleRate, channels }, samples };
      }
      throw new Error(`${name}: unsupported WAV format ${formatTag} (${bits} bits)`);
    }
    offset = body + size + (size & 1);
  }
  throw new Error(`${name}: no data chunk`);
}
