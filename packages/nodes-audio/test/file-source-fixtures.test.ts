import type { AudioFrame } from '@beluga-voice/core';
import { runNode } from '@beluga-voice/core/testing';
import { describe, expect, it } from 'vitest';
import { hasTool } from '../../core/test/support/external-tool.js';
import { fileSource } from '../src/file-source.js';
import { audioOf, dbfs, fixture, joinSamples, rmsBetween, segmentsOf } from './audio-helpers.js';

interface Case {
  readonly file: string;
  readonly config?: Record<string, unknown>;
  readonly format: AudioFrame['format'];
  /** Decoders of lossy files may add or trim a few ms at the ends. */
  readonly durationToleranceMs: number;
}

const cases: Case[] = [
  {
    file: 'two-turns-16k.wav',
    format: { encoding: 'pcm16', sampleRate: 16000, channels: 1 },
    durationToleranceMs: 0.1,
  },
  {
    file: 'two-turns-24k.wav',
    format: { encoding: 'pcm16', sampleRate: 24000, channels: 1 },
    durationToleranceMs: 0.1,
  },
  {
    file: 'two-turns-48k-stereo.wav',
    format: { encoding: 'pcm16', sampleRate: 48000, channels: 2 },
    durationToleranceMs: 0.1,
  },
  {
    file: 'two-turns-8k-mulaw.wav',
    config: { encoding: 'pcm16' },
    format: { encoding: 'pcm16', sampleRate: 8000, channels: 1 },
    durationToleranceMs: 0.2,
  },
  {
    file: 'two-turns-16k.mp3',
    format: { encoding: 'pcm16', sampleRate: 16000, channels: 1 },
    durationToleranceMs: 120,
  },
  {
    file: 'two-turns-48k.ogg',
    config: { sampleRate: 48000, channels: 2, encoding: 'f32' },
    format: { encoding: 'f32', sampleRate: 48000, channels: 2 },
    durationToleranceMs: 30,
  },
];

describe('audio.file-source on the fixtures', () => {
  const ffmpeg = hasTool('ffmpeg');
  for (const c of cases) {
    // WAV is read in-process; anything else is decoded by ffmpeg.
    it.skipIf(!ffmpeg && !c.file.endsWith('.wav'))(
      `${c.file}: ${c.format.encoding} ${c.format.sampleRate} Hz × ${c.format.channels}, right duration, speech where segments.json says`,
      async () => {
        const truth = await segmentsOf(c.file);
        const h = await runNode(fileSource, { config: { path: fixture(c.file), pace: 'fast', ...c.config } });
        expect(h.ctx.formats.outputs.audio).toEqual(c.format);
        const frames = audioOf(await h.collect('audio'));
        for (const f of frames) expect(f.format).toEqual(c.format);
        // 20 ms frames with exact timestamps.
        expect(frames[1].timestamp).toBe(20);
        expect(frames.at(-1)?.timestamp).toBeCloseTo((frames.length - 1) * 20, 6);
        const samples = joinSamples(frames);
        const durationMs = (samples.length / c.format.channels / c.format.sampleRate) * 1000;
        expect(Math.abs(durationMs - truth.total_s * 1000)).toBeLessThanOrEqual(c.durationToleranceMs);
        // Energy: every speech segment is loud, the silence between and around is quiet.
        const margin = 0.15;
        const speech = truth.speech.map(([a, b]) => dbfs(rmsBetween(samples, c.format, a + margin, b - margin)));
        const silences: Array<[number, number]> = [];
        let last = 0;
        for (const [a, b] of truth.speech) {
          if (a - last > 2 * margin) silences.push([last + margin, a - margin]);
          last = b;
        }
        if (truth.total_s - last > 2 * margin) silences.push([last + margin, truth.total_s - margin]);
        const quiet = silences.map(([a, b]) => dbfs(rmsBetween(samples, c.format, a, b)));
        for (const level of speech) expect(level).toBeGreaterThan(-35);
        for (const level of quiet) expect(level).toBeLessThan(Math.min(...speech) - 30);
        await h.close();
      },
    );
  }
});
