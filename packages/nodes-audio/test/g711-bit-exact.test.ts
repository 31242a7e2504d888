import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AudioFrame } from '@beluga-voice/core';
import { type G711Law, g711Decode, g711Encode } from '@beluga-voice/core/audio';
import { runNode } from '@beluga-voice/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { hasTool } from '../../core/test/support/external-tool.js';
import { alawEncode } from '../src/alaw-encode.js';
import { mulawDecode } from '../src/mulaw-decode.js';
import { mulawEncode } from '../src/mulaw-encode.js';
import { readWav } from '../src/wav-reader.js';
import { audioOf, fixture, framesOf, joinSamples, tempDir } from './audio-helpers.js';

const tmp = tempDir();
afterAll(tmp.remove);

const SOX_NAME: Record<G711Law, string> = { mulaw: 'mu-law', alaw: 'a-law' };

function soxEncode(law: G711Law, pcm: Int16Array): Uint8Array {
  const input = join(tmp.dir, 'in.raw');
  const output = join(tmp.dir, `out-${law}.raw`);
  writeFileSync(input, pcm);
  execFileSync('sox', [
    '-D',
    '-t',
    'raw',
    '-e',
    'signed',
    '-b',
    '16',
    '-r',
    '8000',
    '-c',
    '1',
    input,
    '-t',
    'raw',
    '-e',
    SOX_NAME[law],
    '-b',
    '8',
    output,
  ]);
  return new Uint8Array(readFileSync(output));
}

function decodeWith(tool: 'sox' | 'ffmpeg', law: G711Law, bytes: Uint8Array): Int16Array {
  const input = join(tmp.dir, `in-${law}.raw`);
  const output = join(tmp.dir, 'out.raw');
  writeFileSync(input, bytes);
  if (tool === 'sox') {
    execFileSync('sox', [
      '-D',
      '-t',
      'raw',
      '-e',
      SOX_NAME[law],
      '-b',
      '8',
      '-r',
      '8000',
      '-c',
      '1',
      input,
      '-t',
      'raw',
      '-e',
      'signed',
      '-b',
      '16',
      output,
    ]);
  } else {
    execFileSync('ffmpeg', [
      '-y',
      '-loglevel',
      'error',
      '-f',
      law,
      '-ar',
      '8000',
      '-ac',
      '1',
      '-i',
      input,
      '-f',
      's16le',
      output,
    ]);
  }
  const out = readFileSync(output);
  return new Int16Array(out.buffer, out.byteOffset, out.length / 2);
}

const sox = hasTool('sox');
const ffmpeg = hasTool('ffmpeg');
const allCodes = Uint8Array.from({ length: 256 }, (_, i) => i);

describe('G.711 against sox and ffmpeg', () => {
  for (const law of ['mulaw', 'alaw'] as const) {
    it.skipIf(!sox || !ffmpeg)(`${law}: every code decodes exactly as sox and ffmpeg decode it`, () => {
      const ours = g711Decode(law, allCodes);
      expect(ours).toEqual(decodeWith('sox', law, allCodes));
      expect(ours).toEqual(decodeWith('ffmpeg', law, allCodes));
    });
  }

  it.skipIf(!sox)('mulaw: every 14-bit input (the G.711 domain) encodes exactly as sox encodes it', () => {
    const inputs = Int16Array.from({ length: 16384 }, (_, i) => (i - 8192) * 4);
    expect(g711Encode('mulaw', inputs)).toEqual(soxEncode('mulaw', inputs));
  });

  it.skipIf(!sox)('alaw: every 13-bit input (the G.711 domain) encodes exactly as sox encodes it', () => {
    const inputs = Int16Array.from({ length: 8192 }, (_, i) => (i - 4096) * 8);
    expect(g711Encode('alaw', inputs)).toEqual(soxEncode('alaw', inputs));
  });

  it.skipIf(!sox)(
    'decodes the μ-law fixture bit-exactly as sox does, and re-encoding gives back the same bytes',
    async () => {
      const path = fixture('two-turns-8k-mulaw.wav');
      const { samples, info } = await readWav(path, 'auto');
      expect(info.coding).toBe('mulaw');
      const bytes = samples as Uint8Array;
      const pcm = g711Decode('mulaw', bytes);
      const reference = execFileSync('sox', ['-D', path, '-t', 'raw', '-e', 'signed', '-b', '16', '-']);
      expect(pcm).toEqual(new Int16Array(reference.buffer, reference.byteOffset, reference.length / 2));
      expect(g711Encode('mulaw', pcm)).toEqual(bytes);
    },
  );

  it('the decode and encode nodes round-trip the fixture, frame by frame, keeping timestamps', async () => {
    const { samples, format } = await readWav(fixture('two-turns-8k-mulaw.wav'), 'auto');
    const input = framesOf(format, samples, 20);
    const decoded = await runNode(mulawDecode, { inputs: { audio: input } }).then((h) => h.collect('audio'));
    const pcm = audioOf(decoded);
    expect(pcm[0].format).toEqual({ encoding: 'pcm16', sampleRate: 8000, channels: 1 });
    const encoded = await runNode(mulawEncode, { inputs: { audio: pcm } }).then((h) => h.collect('audio'));
    const back = audioOf(encoded);
    expect(back.map((f) => f.timestamp)).toEqual(input.map((f) => f.timestamp));
    expect(joinSamples<Uint8Array>(back)).toEqual(samples);
  });

  it.skipIf(!sox)('A-law encoding of the decoded fixture matches sox on the 13-bit samples it takes', async () => {
    const { samples } = await readWav(fixture('two-turns-8k-mulaw.wav'), 'pcm16');
    const aligned = (samples as Int16Array).map((v) => v & ~7);
    const frames: AudioFrame[] = framesOf({ encoding: 'pcm16', sampleRate: 8000, channels: 1 }, aligned, 20);
    const h = await runNode(alawEncode, { inputs: { audio: frames } });
    expect(joinSamples<Uint8Array>(audioOf(await h.collect('audio')))).toEqual(soxEncode('alaw', aligned));
  });

  it('declares converters autoConvert can insert', () => {
    const pcm = { encoding: 'pcm16', sampleRate: 8000, channels: 1 } as const;
    const mu = { ...pcm, encoding: 'mulaw' } as const;
    expect(mulawEncode.converter?.configFor(pcm, mu)).toEqual({});
    expect(mulawDecode.converter?.configFor(mu, { ...pcm, encoding: 'f32' })).toEqual({ encoding: 'f32' });
    expect(mulawDecode.converter?.configFor(mu, { ...pcm, sampleRate: 16000 })).toBeUndefined();
    expect(mulawEncode.converter?.configFor(pcm, { ...mu, encoding: 'alaw' })).toBeUndefined();
  });
});
