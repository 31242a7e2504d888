import { readFileSync } from 'node:fs';
import { decodeWav, g711Decode, g711Encode, meanSquare, rmsDb, wavHeader } from '@beluga-voice/core/audio';
import { describe, expect, it } from 'vitest';

const FIXTURES = new URL('../../../fixtures/audio/', import.meta.url);

function sine(amplitude: number, n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => amplitude * Math.sin((2 * Math.PI * 440 * i) / 16000));
}

describe('@beluga-voice/core/audio', () => {
  it('measures the same level in dBFS for floats and for 16-bit samples, over any sub-range', () => {
    const floats = sine(0.1, 1600);
    const ints = Int16Array.from(floats, (v) => Math.round(v * 32768));
    expect(rmsDb(floats)).toBeCloseTo(-23.01, 1);
    expect(rmsDb(ints)).toBeCloseTo(rmsDb(floats), 2);
    expect(rmsDb(ints, 400, 800)).toBeCloseTo(rmsDb(floats.subarray(400, 800)), 2);
    expect(rmsDb(new Int16Array(320))).toBe(-120);
    expect(meanSquare(new Float32Array(0))).toBe(0);
  });

  it('decodes a WAV from a Node Buffer that shares its memory pool, without reading the header as samples', () => {
    const samples = Int16Array.from({ length: 64 }, (_, i) => i * 100 - 3000);
    const header = wavHeader({ encoding: 'pcm16', sampleRate: 8000, channels: 1 }, samples.byteLength);
    // Buffer.concat of small inputs allocates from the pool: byteOffset is not 0 and `slice` is a view.
    const bytes = Buffer.concat([Buffer.from(header), Buffer.from(samples.buffer)]);
    const wav = decodeWav(bytes, 'pooled.wav', 'pcm16');
    expect(wav.format).toEqual({ encoding: 'pcm16', sampleRate: 8000, channels: 1 });
    expect(wav.samples).toEqual(samples);
    const mulaw = g711Encode('mulaw', samples);
    const law = Buffer.concat([
      Buffer.from(wavHeader({ encoding: 'mulaw', sampleRate: 8000, channels: 1 }, mulaw.length)),
      Buffer.from(mulaw),
    ]);
    const kept = decodeWav(law, 'pooled-mulaw.wav').samples;
    expect(kept).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(kept)).toBe(false);
    expect(kept).toEqual(mulaw);
  });

  it('decodes the μ-law fixture to the same samples in memory as its G.711 bytes give', () => {
    const bytes = readFileSync(new URL('two-turns-8k-mulaw.wav', FIXTURES));
    const raw = decodeWav(bytes, 'two-turns-8k-mulaw.wav');
    expect(raw.format).toEqual({ encoding: 'mulaw', sampleRate: 8000, channels: 1 });
    const linear = decodeWav(bytes, 'two-turns-8k-mulaw.wav', 'pcm16');
    expect(linear.samples).toEqual(g711Decode('mulaw', raw.samples as Uint8Array));
    expect(linear.info.durationMs).toBeCloseTo(9188, -1);
  });

  it('names the file and the problem for bytes that are not a WAV file', () => {
    expect(() => decodeWav(new TextEncoder().encode('hello, not audio'), 'notes.txt')).toThrow(
      'notes.txt: not a WAV file (no RIFF/WAVE header)',
    );
  });
});
