import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AudioFormat, AudioFrame, Frame, Samples } from '@beluga-voice/core';

export const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/audio/${name}`, import.meta.url));

export interface Segments {
  readonly speech: Array<[number, number]>;
  readonly total_s: number;
}

/** Ground truth for a file of the two-turns family (every rate and encoding shares its timing). */
export async function segmentsOf(name: string): Promise<Segments> {
  const { readFile } = await import('node:fs/promises');
  const all = JSON.parse(await readFile(fixture('segments.json'), 'utf8')) as Record<string, Segments>;
  return all[name] ?? all['two-turns-16k.wav'];
}

/** A temp folder removed by the returned function. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'beluga-audio-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export const audioOf = (out: Frame[]) => out.filter((f): f is AudioFrame => f.kind === 'audio');

/** Splits interleaved samples into frames of `ms`, timestamps from `startMs`. */
export function framesOf(format: AudioFormat, samples: Samples, ms = 20, startMs = 0): AudioFrame[] {
  const step = Math.round((format.sampleRate * ms) / 1000) * format.channels;
  const out: AudioFrame[] = [];
  for (let i = 0; i < samples.length; i += step) {
    const timestamp = startMs + (i / format.channels / format.sampleRate) * 1000;
    out.push({ kind: 'audio', timestamp, format, samples: samples.subarray(i, i + step) as Samples });
  }
  return out;
}

/** Concatenates the samples of frames (all of one encoding). */
export function joinSamples<T extends Samples>(frames: readonly AudioFrame[]): T {
  const total = frames.reduce((n, f) => n + f.samples.length, 0);
  const first = frames[0]?.samples ?? new Int16Array(0);
  const out = new (first.constructor as new (n: number) => T)(total);
  let at = 0;
  for (const f of frames) {
    out.set(f.samples as never, at);
    at += f.samples.length;
  }
  return out;
}

/** RMS (full scale = 1) of channel 0 between two times, in seconds. */
export function rmsBetween(samples: Samples, format: AudioFormat, fromS: number, toS: number): number {
  const scale = format.encoding === 'f32' ? 1 : 32768;
  const a = Math.floor(fromS * format.sampleRate);
  const b = Math.min(Math.floor(toS * format.sampleRate), samples.length / format.channels);
  let sum = 0;
  for (let i = a; i < b; i++) {
    const v = samples[i * format.channels] / scale;
    sum += v * v;
  }
  return Math.sqrt(sum / Math.max(1, b - a));
}

export const dbfs = (rms: number) => 20 * Math.log10(Math.max(rms, 1e-10));

/** A sine tone, pcm16 mono. */
export function tone(sampleRate: number, hz: number, ms: number, amplitude = 0.5): Int16Array {
  const n = Math.round((sampleRate * ms) / 1000);
  return Int16Array.from({ length: n }, (_, i) =>
    Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * hz * i) / sampleRate)),
  );
}
