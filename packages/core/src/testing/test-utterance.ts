import { type AudioFormat, allocSamples, formatToString } from '../audio-format.js';
import { type AudioCaps, fixateCaps } from '../caps.js';
import type { AudioFrame } from '../frames.js';

export interface TestUtterance {
  readonly format: AudioFormat;
  readonly frames: readonly AudioFrame[];
  /** Media time where the voiced part starts and ends. */
  readonly voicedStartMs: number;
  readonly voicedEndMs: number;
  readonly durationMs: number;
}

export interface TestUtteranceOptions {
  readonly leadMs?: number;
  readonly voicedMs?: number;
  readonly silenceMs?: number;
  readonly frameMs?: number;
  /** Preferred format; the nearest one `caps` accepts is used. */
  readonly prefer?: AudioFormat;
}

/**
 * A synthetic utterance in a format `caps` accepts: silence, a voiced burst (a 140 Hz buzz with
 * harmonics and a 4 Hz syllable rhythm, loud enough for any energy VAD), then silence long
 * enough for a server VAD to end the turn.
 */
export function testUtterance(caps: AudioCaps, options: TestUtteranceOptions = {}): TestUtterance {
  const { leadMs = 200, voicedMs = 1000, silenceMs = 1500, frameMs = 20 } = options;
  const format = fixateCaps(caps, options.prefer ?? { encoding: 'pcm16', sampleRate: 24_000, channels: 1 });
  if (format.encoding !== 'pcm16' && format.encoding !== 'f32') {
    throw new Error(`test utterance: cannot generate ${formatToString(format)}; the provider must accept pcm16 or f32`);
  }
  const rate = format.sampleRate;
  const total = Math.round(((leadMs + voicedMs + silenceMs) * rate) / 1000);
  const voicedFrom = Math.round((leadMs * rate) / 1000);
  const voicedTo = Math.round(((leadMs + voicedMs) * rate) / 1000);
  const perFrame = Math.round((frameMs * rate) / 1000);
  const frames: AudioFrame[] = [];
  for (let start = 0; start < total; start += perFrame) {
    const count = Math.min(perFrame, total - start);
    const samples = allocSamples(format.encoding, count * format.channels);
    for (let i = 0; i < count; i++) {
      const n = start + i;
      const value = n >= voicedFrom && n < voicedTo ? voiced((n - voicedFrom) / rate) : 0;
      for (let c = 0; c < format.channels; c++) {
        samples[i * format.channels + c] = format.encoding === 'pcm16' ? Math.round(value * 32767) : value;
      }
    }
    frames.push({ kind: 'audio', timestamp: (start / rate) * 1000, format, samples });
  }
  return {
    format,
    frames,
    voicedStartMs: leadMs,
    voicedEndMs: leadMs + voicedMs,
    durationMs: leadMs + voicedMs + silenceMs,
  };
}

function voiced(t: number): number {
  const syllable = 0.6 + 0.4 * Math.sin(2 * Math.PI * 4 * t);
  let v = 0;
  for (let h = 1; h <= 5; h++) v += Math.sin(2 * Math.PI * 140 * h * t) / h;
  return 0.25 * syllable * v;
}
