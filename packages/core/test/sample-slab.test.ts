import { describe, expect, it } from 'vitest';
import { decodeSamples } from '../src/audio/sample-coding.js';
import { allocSamples, bytesToSamples, samplesToBytes } from '../src/audio-format.js';

describe('small sample arrays share slabs without sharing samples', () => {
  it('gives each 20 ms frame its own zeroed, aligned range of a shared buffer', () => {
    const frames = Array.from({ length: 12 }, (_, i) => allocSamples(i % 2 ? 'f32' : 'pcm16', 321 + i));
    for (const f of frames) {
      expect(f.every((v) => v === 0)).toBe(true);
      expect(f.byteOffset % 8).toBe(0);
    }
    for (const [i, f] of frames.entries()) f.fill(i + 1);
    for (const [i, f] of frames.entries()) expect(f.every((v) => v === i + 1)).toBe(true);
    // Several frames come out of one buffer: the point of the slab.
    expect(new Set(frames.map((f) => f.buffer)).size).toBeLessThan(frames.length / 2);
  });

  it('gives an array larger than a slab share its own buffer', () => {
    const big = allocSamples('pcm16', 48000);
    expect(big.byteOffset).toBe(0);
    expect(big.buffer.byteLength).toBe(96000);
  });

  it('copies bytes in: the source can change without changing the samples', () => {
    const bytes = new Uint8Array([1, 0, 2, 0, 255, 127]);
    const samples = bytesToSamples('pcm16', bytes);
    bytes.fill(0);
    expect([...samples]).toEqual([1, 2, 32767]);
    expect(samplesToBytes(samples)).toEqual(new Uint8Array([1, 0, 2, 0, 255, 127]));
  });

  it('decodes file frames that stay apart when read from the same read-ahead buffer', () => {
    const block = new Uint8Array(640 * 3).map((_, i) => (i * 7) & 0xff);
    const expected = new Int16Array(block.slice().buffer);
    const frames = [0, 1, 2].map((k) => decodeSamples(block.subarray(k * 640, (k + 1) * 640), 's16', false, 'pcm16'));
    block.fill(0);
    frames.forEach((f, k) => {
      expect(f).toBeInstanceOf(Int16Array);
      expect([...f]).toEqual([...expected.subarray(k * 320, (k + 1) * 320)]);
    });
  });
});
