import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AudioFormat, AudioFrame } from '@beluga-voice/core';
import { g711Encode } from '@beluga-voice/core/audio';
import { runNode } from '@beluga-voice/core/testing';
import { Subject } from 'rxjs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { WavWriter } from '../src/audio-writer.js';
import { fileSink } from '../src/file-sink.js';
import { probeWav, readWav } from '../src/wav-reader.js';
import { framesOf, tempDir, tone } from './audio-helpers.js';

const tmp = tempDir();
afterAll(tmp.remove);
const PCM16: AudioFormat = { encoding: 'pcm16', sampleRate: 16000, channels: 1 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A normal stop: the input completed and the sink closed its file (it marks that on the bus). */
async function drained(h: { events: Array<{ type: string; name?: string }> }): Promise<void> {
  while (!h.events.some((e) => e.type === 'mark' && e.name === 'file-sink.closed')) await sleep(5);
}

describe('audio.file-sink', () => {
  it('writes a WAV whose header is right after a normal stop', async () => {
    const path = join(tmp.dir, 'stop.wav');
    const samples = tone(16000, 440, 1000);
    const h = await runNode(fileSink, { config: { path }, inputs: { audio: framesOf(PCM16, samples) } });
    await drained(h);
    await h.close();
    const back = await readWav(path);
    expect(back.format).toEqual(PCM16);
    expect(back.samples).toEqual(samples);
    expect(h.events.filter((e) => e.type === 'metric')).toMatchObject([
      { name: 'file_sink.bytes_written', value: 32000, unit: 'By' },
    ]);
    expect(h.events.find((e) => e.type === 'mark')).toMatchObject({ name: 'file-sink.closed', data: { bytes: 32000 } });
  });

  it('leaves a valid header when aborted mid-stream (the sizes match what was written)', async () => {
    const path = join(tmp.dir, 'abort.wav');
    const input = new Subject<AudioFrame>();
    const h = await runNode(fileSink, { config: { path }, inputs: { audio: input }, inputFormats: { audio: PCM16 } });
    const frames = framesOf(PCM16, tone(16000, 440, 400));
    for (const f of frames.slice(0, 7)) input.next(f);
    // Abort once the seven frames are on disk (a loaded machine writes them late), before any end.
    await vi.waitFor(() => expect(statSync(path).size).toBe(44 + 7 * 640), { timeout: 10_000, interval: 5 });
    await h.close();
    const info = probeWav(path);
    expect(info).toMatchObject({ coding: 's16', frames: 7 * 320, dataOffset: 44 });
    expect(readFileSync(path).length).toBe(44 + 7 * 640);
    expect(
      execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=duration_ts', '-of', 'csv=p=0', path], {
        encoding: 'utf8',
      }).trim(),
    ).toBe(String(7 * 320));
  });

  it('leaves a valid header when the input fails, and fails the node with the reason', async () => {
    const path = join(tmp.dir, 'error.wav');
    const input = new Subject<AudioFrame>();
    const h = await runNode(fileSink, { id: 'out', config: { path }, inputs: { audio: input } });
    const frames = framesOf(PCM16, tone(16000, 440, 100));
    input.next(frames[0]);
    input.next(frames[1]);
    input.next({ ...frames[2], format: { ...PCM16, sampleRate: 8000 } });
    await sleep(50);
    await h.close();
    expect(probeWav(path).frames).toBe(640);
    expect(h.failures.map((e) => (e as Error).message)).toEqual([
      `audio.file-sink "out": cannot write ${path}: the format changed from pcm16 16000 Hz mono to pcm16 8000 Hz mono`,
    ]);
  });

  it('keeps the header valid between writes, before any close (a crashed process leaves a readable file)', async () => {
    const path = join(tmp.dir, 'live.wav');
    const writer = await WavWriter.open(path, PCM16);
    expect(probeWav(path).frames).toBe(0);
    await writer.write(tone(16000, 440, 100));
    expect(probeWav(path).frames).toBe(1600);
    await writer.close();
  });

  it('writes f32 as an IEEE float WAV and μ-law/A-law as G.711 WAV that ffprobe reads', async () => {
    const f32: AudioFormat = { encoding: 'f32', sampleRate: 24000, channels: 2 };
    const floats = Float32Array.from({ length: 4800 }, (_, i) => Math.sin(i / 10) * 0.5);
    const mulaw: AudioFormat = { encoding: 'mulaw', sampleRate: 8000, channels: 1 };
    const bytes = g711Encode('mulaw', tone(8000, 300, 300.125));
    const cases: Array<[AudioFormat, Float32Array | Uint8Array, string]> = [
      [f32, floats, 'pcm_f32le'],
      [mulaw, bytes, 'pcm_mulaw'],
      [{ ...mulaw, encoding: 'alaw' }, bytes, 'pcm_alaw'],
    ];
    for (const [format, samples, codec] of cases) {
      const path = join(tmp.dir, `${format.encoding}.wav`);
      const h = await runNode(fileSink, { config: { path }, inputs: { audio: framesOf(format, samples) } });
      await drained(h);
      await h.close();
      const probe = execFileSync(
        'ffprobe',
        ['-v', 'error', '-show_entries', 'stream=codec_name,sample_rate,channels', '-of', 'csv=p=0', path],
        {
          encoding: 'utf8',
        },
      );
      expect(probe.trim()).toBe(`${codec},${format.sampleRate},${format.channels}`);
      const back = await readWav(path);
      expect(back.format).toEqual(format);
      expect(back.samples).toEqual(samples);
      // An odd number of G.711 bytes gets the RIFF pad byte.
      if (format.encoding !== 'f32') expect(readFileSync(path).length).toBe(58 + 2401 + 1);
    }
  });

  it('writes raw samples to a .raw file and to stdout', async () => {
    const samples = tone(16000, 440, 60);
    const path = join(tmp.dir, 'out.raw');
    const h = await runNode(fileSink, { config: { path }, inputs: { audio: framesOf(PCM16, samples) } });
    await drained(h);
    await h.close();
    expect(new Uint8Array(readFileSync(path))).toEqual(new Uint8Array(samples.buffer));

    const chunks: Buffer[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: Uint8Array, callback?: () => void) => {
      chunks.push(Buffer.from(chunk));
      callback?.();
      return true;
    }) as typeof process.stdout.write);
    try {
      const out = await runNode(fileSink, { config: { path: '-' }, inputs: { audio: framesOf(PCM16, samples) } });
      await drained(out);
      await out.close();
    } finally {
      spy.mockRestore();
    }
    expect(new Uint8Array(Buffer.concat(chunks))).toEqual(new Uint8Array(samples.buffer));
  });
});
