import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphBuilder, Registry } from '@beluga-voice/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasTool } from '../../core/test/support/external-tool.js';
import { nodes } from '../src/nodes.js';
import { probeWav, readWav } from '../src/wav-reader.js';
import { fixture, tempDir } from './audio-helpers.js';

const tmp = tempDir();
afterAll(tmp.remove);
const SOURCE = fixture('two-turns-16k.wav');
let reference: Float32Array;
const tools = { ffmpeg: hasTool('ffmpeg'), sox: hasTool('sox') };

beforeAll(async () => {
  reference = (await readWav(SOURCE, 'f32')).samples as Float32Array;
});

function ffmpeg(codec: string, name: string, extra: string[] = []): string {
  const out = join(tmp.dir, name);
  execFileSync('ffmpeg', ['-y', '-loglevel', 'error', '-i', SOURCE, ...extra, '-c:a', codec, out]);
  return out;
}

function sox(args: string[], name: string): string {
  const out = join(tmp.dir, name);
  execFileSync('sox', [SOURCE, ...args, out]);
  return out;
}

/** Signal-to-error ratio of `decoded` against the 16-bit source, in dB. */
function snr(decoded: Float32Array): number {
  let signal = 0;
  let error = 0;
  for (let i = 0; i < reference.length; i++) {
    signal += reference[i] ** 2;
    error += (decoded[i] - reference[i]) ** 2;
  }
  return error === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10(signal / error);
}

describe('WAV reader', () => {
  const cases: Array<[string, () => string, string, number]> = [
    [
      '24-bit PCM (WAVE_FORMAT_EXTENSIBLE, ffmpeg)',
      () => ffmpeg('pcm_s24le', 's24.wav'),
      's24',
      Number.POSITIVE_INFINITY,
    ],
    ['24-bit PCM (sox)', () => sox(['-b', '24'], 'sox24.wav'), 's24', Number.POSITIVE_INFINITY],
    ['32-bit PCM (extensible)', () => ffmpeg('pcm_s32le', 's32.wav'), 's32', Number.POSITIVE_INFINITY],
    ['32-bit float', () => ffmpeg('pcm_f32le', 'f32.wav'), 'f32', Number.POSITIVE_INFINITY],
    ['64-bit float (extensible)', () => ffmpeg('pcm_f64le', 'f64.wav'), 'f64', Number.POSITIVE_INFINITY],
    ['8-bit unsigned PCM', () => ffmpeg('pcm_u8', 'u8.wav'), 'u8', 12],
    ['A-law', () => ffmpeg('pcm_alaw', 'alaw.wav'), 'alaw', 30],
    ['μ-law', () => ffmpeg('pcm_mulaw', 'mulaw.wav'), 'mulaw', 30],
    ['big-endian RIFX 16-bit (sox)', () => sox(['-B'], 'rifx.wav'), 's16', Number.POSITIVE_INFINITY],
    [
      'big-endian RIFX 32-bit float (sox)',
      () => sox(['-B', '-b', '32', '-e', 'floating-point'], 'rifxf.wav'),
      'f32',
      Number.POSITIVE_INFINITY,
    ],
  ];
  for (const [label, make, coding, minSnr] of cases) {
    const tool = label.includes('(sox)') ? 'sox' : 'ffmpeg';
    it.skipIf(!tools[tool])(`decodes ${label} to the same signal`, async () => {
      const path = make();
      const info = probeWav(path);
      expect(info).toMatchObject({ coding, sampleRate: 16000, channels: 1, frames: reference.length });
      const { samples, format } = await readWav(path, 'f32');
      expect(format).toEqual({ encoding: 'f32', sampleRate: 16000, channels: 1 });
      expect(samples.length).toBe(reference.length);
      expect(snr(samples as Float32Array)).toBeGreaterThanOrEqual(minSnr);
    });
  }

  it.skipIf(!tools.ffmpeg)(
    'keeps the stored encoding with auto: pcm16, f32, μ-law and A-law as stored; 24-bit as pcm16; f64 as f32',
    async () => {
      expect((await readWav(SOURCE)).format.encoding).toBe('pcm16');
      expect((await readWav(ffmpeg('pcm_f32le', 'auto-f32.wav'))).format.encoding).toBe('f32');
      expect((await readWav(ffmpeg('pcm_f64le', 'auto-f64.wav'))).format.encoding).toBe('f32');
      expect((await readWav(ffmpeg('pcm_s24le', 'auto-s24.wav'))).format.encoding).toBe('pcm16');
      expect((await readWav(ffmpeg('pcm_alaw', 'auto-alaw.wav'))).format.encoding).toBe('alaw');
      const pcm16 = (await readWav(ffmpeg('pcm_s24le', 'auto2-s24.wav'))).samples as Int16Array;
      expect(pcm16).toEqual((await readWav(SOURCE)).samples);
    },
  );

  it.skipIf(!tools.ffmpeg)('reads any channel count and rate (6 channels at 44.1 kHz)', async () => {
    const path = ffmpeg('pcm_s16le', 'six.wav', ['-ac', '6', '-ar', '44100']);
    const { format, samples, info } = await readWav(path);
    expect(format).toEqual({ encoding: 'pcm16', sampleRate: 44100, channels: 6 });
    expect(samples.length).toBe(info.frames * 6);
    expect(info.durationMs).toBeCloseTo(9188, -1);
  });

  it.skipIf(!tools.ffmpeg)(
    'names the file and the problem for a missing, non-WAV, truncated or unsupported file',
    () => {
      const missing = join(tmp.dir, 'nope.wav');
      expect(() => probeWav(missing)).toThrow(`cannot open ${missing}: no such file`);

      const text = join(tmp.dir, 'text.wav');
      writeFileSync(text, 'hello, this is not audio at all');
      expect(() => probeWav(text)).toThrow(`${text}: not a WAV file (no RIFF/WAVE header)`);

      const whole = readFileSync(SOURCE);
      const truncated = join(tmp.dir, 'truncated.wav');
      writeFileSync(truncated, whole.subarray(0, 1000));
      expect(() => probeWav(truncated)).toThrow(
        `${truncated}: truncated: the data chunk declares 294014 bytes but only 956 follow`,
      );

      const headerOnly = join(tmp.dir, 'header-only.wav');
      writeFileSync(headerOnly, whole.subarray(0, 36));
      expect(() => probeWav(headerOnly)).toThrow(`${headerOnly}: corrupt or truncated WAV file: no "data" chunk`);

      const adpcm = ffmpeg('adpcm_ms', 'adpcm.wav');
      expect(() => probeWav(adpcm)).toThrow(
        `${adpcm}: unsupported WAV encoding (format tag 0x0002: Microsoft ADPCM, 4 bits); supported: PCM 8/16/24/32-bit, IEEE float 32/64-bit, μ-law, A-law (use container: compressed to decode it with ffmpeg)`,
      );
    },
  );

  it('refuses a header declaring a 4.29 GHz rate with a clear error, in the reader and in a running pipeline', async () => {
    const bytes = Buffer.from(readFileSync(fixture('single-utterance-16k.wav')));
    bytes.writeUInt32LE(0xffffffff, 24);
    const ghz = join(tmp.dir, 'ghz.wav');
    writeFileSync(ghz, bytes);
    const message = `${ghz}: corrupt WAV header: sample rate 4294967295 Hz is above the 768000 Hz any audio file uses`;
    expect(() => probeWav(ghz)).toThrow(message);
    await expect(readWav(ghz)).rejects.toThrow(message);

    // Before the header check, the resampler downstream died on "Invalid typed array length".
    const graph = new GraphBuilder(new Registry(nodes), 'ghz')
      .node('mic', 'audio.file-source', { path: ghz, pace: 'fast' })
      .node('up', 'audio.resample', { sampleRate: 24_000 })
      .node('out', 'audio.null-sink')
      .chain('mic', 'up', 'out')
      .build();
    const running = graph.start();
    const errors: string[] = [];
    running.events$.subscribe((e) => e.type === 'error' && errors.push(e.message));
    await expect(running.done).rejects.toThrow(message);
    expect(errors).toEqual([`node "mic" (audio.file-source) could not start: audio.file-source "mic": ${message}`]);
  });
});
