import { execFileSync } from 'node:child_process';
import { constants, createWriteStream, openSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AudioFrame, audioDurationMs } from '@beluga-voice/core';
import { wavHeader } from '@beluga-voice/core/audio';
import { runNode } from '@beluga-voice/core/testing';
import { firstValueFrom, take, tap, toArray } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { hasTool } from '../../core/test/support/external-tool.js';
import { fileSource } from '../src/file-source.js';
import { audioOf, fixture, joinSamples, tempDir, tone } from './audio-helpers.js';

const tmp = tempDir();
afterAll(tmp.remove);

function writeTone(name: string, ms: number): { path: string; samples: Int16Array } {
  const samples = tone(16000, 440, ms);
  const path = join(tmp.dir, name);
  const format = { encoding: 'pcm16', sampleRate: 16000, channels: 1 } as const;
  writeFileSync(path, Buffer.concat([wavHeader(format, samples.byteLength), Buffer.from(samples.buffer)]));
  return { path, samples };
}

/** Open descriptors of this process that point at `path`. */
function openHandles(path: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false;
    }
  }).length;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function ffmpegChildren(): string[] {
  const out = execFileSync('ps', ['--ppid', String(process.pid), '-o', 'pid=,stat=,comm='], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.includes('ffmpeg') && !line.includes(' Z'))
    .map((line) => line.trim());
}

const ffmpeg = hasTool('ffmpeg');

describe('audio.file-source behaviour', () => {
  it('paces realtime playback on the wall clock: frame k at k × 20 ms', async () => {
    const { path } = writeTone('second.wav', 1000);
    const h = await runNode(fileSource, { config: { path, pace: 'realtime' } });
    const start = performance.now();
    const arrivals: number[] = [];
    const frames = await new Promise<AudioFrame[]>((resolve, reject) => {
      const got: AudioFrame[] = [];
      h.outputs.audio?.subscribe({
        next: (f) => {
          arrivals.push(performance.now() - start);
          got.push(f as AudioFrame);
        },
        complete: () => resolve(got),
        error: reject,
      });
    });
    expect(frames).toHaveLength(50);
    arrivals.forEach((at, k) => {
      expect(at).toBeGreaterThanOrEqual(k * 20 - 2);
    });
    expect(arrivals[49]).toBeGreaterThanOrEqual(975);
    expect(arrivals[49]).toBeLessThan(1150);
  });

  it('pauses while demand is not ready and resumes where it stopped (block policy)', async () => {
    const { path, samples } = writeTone('pausable.wav', 1000);
    const h = await runNode(fileSource, { config: { path, pace: 'fast' } });
    const got: AudioFrame[] = [];
    const done = new Promise<void>((resolve, reject) =>
      h.outputs.audio?.subscribe({
        next: (f) => {
          got.push(f as AudioFrame);
          if (got.length === 10) h.setDemand(false);
        },
        complete: resolve,
        error: reject,
      }),
    );
    await sleep(150);
    expect(got).toHaveLength(10);
    h.setDemand(true);
    await done;
    expect(got).toHaveLength(50);
    expect(got.map((f) => f.timestamp)).toEqual(Array.from({ length: 50 }, (_, k) => k * 20));
    expect(joinSamples(got)).toEqual(samples);
  });

  it('does not burst after a pause in realtime: pacing restarts from the resume time', async () => {
    const { path } = writeTone('paced-pause.wav', 400);
    const h = await runNode(fileSource, { config: { path, pace: 'realtime' } });
    const arrivals: number[] = [];
    const start = performance.now();
    const done = new Promise<void>((resolve, reject) =>
      h.outputs.audio?.subscribe({
        next: () => {
          arrivals.push(performance.now() - start);
          if (arrivals.length === 5) {
            h.setDemand(false);
            setTimeout(() => h.setDemand(true), 200);
          }
        },
        complete: resolve,
        error: reject,
      }),
    );
    await done;
    expect(arrivals).toHaveLength(20);
    expect(arrivals[5] - arrivals[4]).toBeGreaterThanOrEqual(195);
    expect(arrivals[9] - arrivals[5]).toBeGreaterThanOrEqual(75);
  });

  it('loops with continuous timestamps', async () => {
    const { path, samples } = writeTone('short.wav', 100);
    const h = await runNode(fileSource, { config: { path, pace: 'fast', loop: true } });
    const frames = audioOf(await firstValueFrom(h.outputs.audio!.pipe(take(12), toArray())));
    expect(frames.map((f) => f.timestamp)).toEqual(Array.from({ length: 12 }, (_, k) => k * 20));
    expect(joinSamples(frames.slice(5, 10))).toEqual(samples);
  });

  it('closes the file when unsubscribed mid-stream and when it reaches the end', async () => {
    const { path } = writeTone('handle.wav', 1000);
    const h = await runNode(fileSource, { config: { path, pace: 'realtime' } });
    const sub = h.outputs.audio!.subscribe();
    await sleep(60);
    expect(openHandles(path)).toBe(1);
    sub.unsubscribe();
    await sleep(20);
    expect(openHandles(path)).toBe(0);
    const fast = await runNode(fileSource, { config: { path, pace: 'fast' } });
    expect(await fast.collect('audio')).toHaveLength(50);
    await sleep(20);
    expect(openHandles(path)).toBe(0);
  });

  it.skipIf(!ffmpeg)(
    'loops a compressed file by restarting ffmpeg, one child at a time, timestamps continuous',
    async () => {
      const before = ffmpegChildren().length;
      const h = await runNode(fileSource, {
        config: { path: fixture('interjection-16k.wav'), container: 'compressed', pace: 'fast', loop: true },
      });
      const children: number[] = [];
      let seen = 0;
      const frames = audioOf(
        await firstValueFrom(
          h.outputs.audio!.pipe(
            take(300),
            tap(() => {
              if (seen++ % 50 === 0) children.push(ffmpegChildren().length - before);
            }),
            toArray(),
          ),
        ),
      );
      // A pass ends on a short frame; the next one goes on from there.
      frames.slice(1).forEach((f, k) => {
        expect(f.timestamp).toBeCloseTo(frames[k].timestamp + audioDurationMs(frames[k]), 9);
      });
      expect(frames.filter((f) => audioDurationMs(f) < 20).length).toBeGreaterThanOrEqual(2);
      // ffmpeg decodes a short file faster than it is read: at most one child, never one per pass left behind.
      expect(children).toHaveLength(6);
      expect(Math.max(...children)).toBeLessThanOrEqual(1);
      await sleep(200);
      expect(ffmpegChildren().length).toBe(before);
    },
  );

  it('reads raw PCM with the format from config', async () => {
    const samples = tone(8000, 300, 200);
    const path = join(tmp.dir, 'voice.raw');
    writeFileSync(path, samples);
    const config = { path, pace: 'fast', raw: { encoding: 'pcm16', sampleRate: 8000 }, encoding: 'f32' };
    const h = await runNode(fileSource, { config });
    expect(h.ctx.formats.outputs.audio).toEqual({ encoding: 'f32', sampleRate: 8000, channels: 1 });
    const frames = audioOf(await h.collect('audio'));
    expect(frames).toHaveLength(10);
    expect((frames[0].samples as Float32Array)[3]).toBeCloseTo(samples[3] / 32768, 6);
  });

  it.skipIf(!ffmpeg)(
    'kills the ffmpeg child process on unsubscribe, and close() resolves once it has exited',
    async () => {
      // A FIFO that is never closed: ffmpeg cannot reach the end, so only the unsubscribe can stop it.
      const fifo = join(tmp.dir, 'endless.wav');
      execFileSync('mkfifo', [fifo]);
      // Held open read-write by the test (Linux does not block that open): whoever opens the FIFO,
      // and however often (the node checks the path before ffmpeg reads it), finds a writer there.
      const writer = createWriteStream('', { fd: openSync(fifo, constants.O_RDWR) });
      writer.on('error', () => {});
      const format = { encoding: 'pcm16', sampleRate: 16000, channels: 1 } as const;
      // More than ffmpeg's 5 s stream analysis, so that it starts decoding; then the FIFO stays open.
      const start = tone(16000, 440, 8000);
      writer.write(Buffer.concat([wavHeader(format, 0x7fff0000), Buffer.from(start.buffer)]));
      const h = await runNode(fileSource, { config: { path: fifo, container: 'compressed', pace: 'realtime' } });
      const before = ffmpegChildren().length;
      let firstFrame!: () => void;
      const started = new Promise<void>((resolve) => (firstFrame = resolve));
      const sub = h.outputs.audio!.subscribe(() => firstFrame());
      await started;
      expect(ffmpegChildren().length).toBe(before + 1);
      sub.unsubscribe();
      await h.close();
      expect(ffmpegChildren().length).toBe(before);
      writer.destroy();
    },
  );

  it('fails at creation with the node, the file and the reason for a missing or corrupt file', async () => {
    const missing = join(tmp.dir, 'missing.wav');
    await expect(runNode(fileSource, { id: 'mic', config: { path: missing } })).rejects.toThrow(
      `audio.file-source "mic": cannot open ${missing}: no such file`,
    );
    const text = join(tmp.dir, 'text.wav');
    writeFileSync(text, 'not audio, only text');
    await expect(runNode(fileSource, { id: 'mic', config: { path: text } })).rejects.toThrow(
      `audio.file-source "mic": ${text}: not a WAV file (no RIFF/WAVE header)`,
    );
    await expect(runNode(fileSource, { id: 'mic', config: { path: join(tmp.dir, 'x.raw') } })).rejects.toThrow(
      `audio.file-source "mic": cannot open ${join(tmp.dir, 'x.raw')}: no such file`,
    );
  });

  it.skipIf(!ffmpeg)('reports what ffmpeg says for a corrupt compressed file', async () => {
    const bad = join(tmp.dir, 'bad.mp3');
    writeFileSync(bad, Buffer.alloc(4000, 7));
    const h = await runNode(fileSource, { id: 'mic', config: { path: bad, pace: 'fast' } });
    await expect(h.collect('audio')).rejects.toThrow(
      new RegExp(`^audio.file-source "mic": ffmpeg could not decode ${bad}: .+`),
    );
  });

  it('knows the WAV output format when the graph is built, from the header', () => {
    const format = fileSource.outputs.audio.format;
    const probe = typeof format === 'function' ? format : () => undefined;
    const cfg = fileSource.config.parse({ path: 'two-turns-48k-stereo.wav' });
    expect(probe({ config: cfg, inputs: {}, baseDir: fixture('.') })).toEqual({
      encoding: 'pcm16',
      sampleRate: 48000,
      channels: 2,
    });
    const mulaw = fileSource.config.parse({ path: 'two-turns-8k-mulaw.wav' });
    expect(probe({ config: mulaw, inputs: {}, baseDir: fixture('.') })).toEqual({
      encoding: 'mulaw',
      sampleRate: 8000,
      channels: 1,
    });
    expect(probe({ config: cfg, inputs: {}, baseDir: tmp.dir })).toBeUndefined();
  });
});
