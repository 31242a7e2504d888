import type { AudioFormat, AudioFrame, Frame } from '@beluga-voice/core';
import { runNode } from '@beluga-voice/core/testing';
import { describe, expect, it } from 'vitest';
import { resample } from '../src/resample-node.js';
import { concat, sine } from './signals.js';

const PCM16_48K_STEREO: AudioFormat = { encoding: 'pcm16', sampleRate: 48000, channels: 2 };

/** Splits interleaved samples into 20 ms audio frames with timestamps from `startMs`. */
function frames(format: AudioFormat, samples: Int16Array | Float32Array, startMs = 0, ms = 20): AudioFrame[] {
  const step = ((format.sampleRate * ms) / 1000) * format.channels;
  const out: AudioFrame[] = [];
  for (let i = 0; i < samples.length; i += step) {
    out.push({
      kind: 'audio',
      timestamp: startMs + (i / format.channels / format.sampleRate) * 1000,
      format,
      samples: samples.subarray(i, i + step),
    });
  }
  return out;
}

const audioOf = (out: Frame[]) => out.filter((f): f is AudioFrame => f.kind === 'audio');

describe('audio.resample node', () => {
  it('converts 48k stereo pcm16 to 16k mono f32 with continuous timestamps and the tail flushed', async () => {
    const input = Int16Array.from(sine(48000, 440, 48000, 0.5, 2), (v) => Math.round(v * 32767));
    const h = await runNode(resample, {
      config: { sampleRate: 16000, channels: 1, encoding: 'f32' },
      inputs: { audio: frames(PCM16_48K_STEREO, input, 1000) },
    });
    const out = audioOf(await h.collect('audio'));
    let produced = 0;
    for (const f of out) {
      expect(f.format).toEqual({ encoding: 'f32', sampleRate: 16000, channels: 1 });
      expect(f.samples).toBeInstanceOf(Float32Array);
      expect(f.timestamp).toBeCloseTo(1000 + (produced / 16000) * 1000, 9);
      produced += f.samples.length;
    }
    expect(produced).toBe(16000);
  });

  it('passes speech events through in stream order', async () => {
    const format: AudioFormat = { encoding: 'pcm16', sampleRate: 16000, channels: 1 };
    const [a, b] = frames(format, new Int16Array(640));
    const h = await runNode(resample, {
      config: { sampleRate: 24000 },
      inputs: {
        audio: [
          a,
          { kind: 'speech-start', timestamp: 20, source: 'vad' },
          b,
          { kind: 'speech-stop', timestamp: 40, source: 'vad' },
        ],
      },
    });
    expect((await h.collect('audio')).map((f) => f.kind)).toEqual([
      'audio',
      'speech-start',
      'audio',
      'speech-stop',
      'audio',
    ]);
  });

  it('on a discont frame flushes the old segment, resets, and restarts the timeline at that frame', async () => {
    const format: AudioFormat = { encoding: 'f32', sampleRate: 48000, channels: 1 };
    const tone = sine(48000, 440, 1920);
    const first = frames(format, tone.subarray(0, 960));
    const second = frames(format, tone.subarray(960), 5000).map((f, i) => (i === 0 ? { ...f, discont: true } : f));
    const h = await runNode(resample, { config: { sampleRate: 16000 }, inputs: { audio: [...first, ...second] } });
    const out = audioOf(await h.collect('audio'));
    const before = out.filter((f) => f.timestamp < 5000);
    const after = out.filter((f) => f.timestamp >= 5000);
    expect(concat(before.map((f) => f.samples as Float32Array)).length).toBe(320);
    expect(concat(after.map((f) => f.samples as Float32Array)).length).toBe(320);
    expect(after[0]).toMatchObject({ timestamp: 5000, discont: true });
    expect(after.slice(1).every((f) => f.discont === undefined)).toBe(true);
  });

  it('keeps the responseId of assistant audio', async () => {
    const format: AudioFormat = { encoding: 'pcm16', sampleRate: 24000, channels: 1 };
    const input = frames(format, new Int16Array(2400)).map((f) => ({ ...f, responseId: 'resp_1' }));
    const h = await runNode(resample, { config: { sampleRate: 48000 }, inputs: { audio: input } });
    const out = audioOf(await h.collect('audio'));
    expect(out.length).toBeGreaterThan(0);
    expect(out.every((f) => f.responseId === 'resp_1')).toBe(true);
  });

  it('fails with a clear message on G.711 input', async () => {
    const format: AudioFormat = { encoding: 'mulaw', sampleRate: 8000, channels: 1 };
    const h = await runNode(resample, {
      config: { sampleRate: 16000 },
      inputs: { audio: [{ kind: 'audio', timestamp: 0, format, samples: new Uint8Array(160) }] },
    });
    await expect(h.collect('audio')).rejects.toThrow(
      'audio.resample: cannot read mulaw audio (decode it to pcm16 or f32 first)',
    );
  });

  it('declares its output format from config and input, and converts for autoConvert', () => {
    const format = resample.outputs.audio.format;
    const config = resample.config.parse({ sampleRate: 24000 });
    expect(format({ config, inputs: { audio: PCM16_48K_STEREO }, baseDir: '.' })).toEqual({
      encoding: 'pcm16',
      sampleRate: 24000,
      channels: 2,
    });
    expect(format({ config, inputs: {}, baseDir: '.' })).toBeUndefined();
    const full = resample.config.parse({ sampleRate: 16000, channels: 1, encoding: 'f32' });
    expect(format({ config: full, inputs: {}, baseDir: '.' })).toEqual({
      encoding: 'f32',
      sampleRate: 16000,
      channels: 1,
    });
    expect(
      resample.converter?.configFor(PCM16_48K_STEREO, { encoding: 'f32', sampleRate: 16000, channels: 1 }),
    ).toEqual({
      sampleRate: 16000,
      channels: 1,
      encoding: 'f32',
    });
    expect(
      resample.converter?.configFor({ encoding: 'mulaw', sampleRate: 8000, channels: 1 }, PCM16_48K_STEREO),
    ).toBeUndefined();
    expect(resample.config.safeParse({ sampleRate: 16000, qualty: 'low' }).success).toBe(false);
    expect(config.quality).toBe('high');
  });
});
