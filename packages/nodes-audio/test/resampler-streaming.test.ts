import { describe, expect, it } from 'vitest';
import { Resampler } from '../src/resampler.js';
import { concat, randomChunks, sine } from './signals.js';

type Pcm = Int16Array | Float32Array;

function runChunks(r: Resampler, chunks: Pcm[], encoding: 'pcm16' | 'f32'): Pcm {
  const parts: Pcm[] = chunks.map((c) => r.process(c, encoding));
  parts.push(r.flush(encoding));
  return concat(parts);
}

const PAIRS: Array<[number, number]> = [
  [48000, 16000],
  [16000, 24000],
  [44100, 48000],
  [22050, 16000],
  [8000, 48000],
  [11025, 8000],
];

describe('resampler streaming', () => {
  for (const [inRate, outRate] of PAIRS) {
    it(`${inRate} -> ${outRate}: random chunk sizes give exactly the output of one chunk`, () => {
      const input = sine(inRate, 440, inRate, 0.5, 2);
      const options = { inRate, outRate, inChannels: 2, outChannels: 2 };
      const whole = runChunks(new Resampler(options), [input], 'f32');
      const chunked = runChunks(new Resampler(options), randomChunks(input, 2, inRate), 'f32');
      expect(chunked.length).toBe(whole.length);
      expect(chunked).toEqual(whole);
      expect(whole.length / 2).toBe(Math.ceil((inRate * outRate) / inRate));
    });
  }

  it('pcm16 chunks of one frame give the same output as one chunk', () => {
    const input = Int16Array.from(sine(16000, 1000, 4000), (v) => Math.round(v * 32767));
    const whole = runChunks(
      new Resampler({ inRate: 16000, outRate: 24000, inChannels: 1, outChannels: 1 }),
      [input],
      'pcm16',
    );
    const single = runChunks(
      new Resampler({ inRate: 16000, outRate: 24000, inChannels: 1, outChannels: 1 }),
      randomChunks(input, 1, 3, 1),
      'pcm16',
    );
    expect(single).toEqual(whole);
  });

  it('keeps output length exact over 10 minutes of 20 ms chunks (44.1k -> 48k), with bounded latency', () => {
    const r = new Resampler({ inRate: 44100, outRate: 48000, inChannels: 1, outChannels: 1, quality: 'low' });
    const chunk = new Float32Array(882);
    let inFrames = 0;
    let outFrames = 0;
    let maxLag = 0;
    for (let i = 0; i < 30_000; i++) {
      inFrames += chunk.length;
      outFrames += r.process(chunk, 'f32').length;
      maxLag = Math.max(maxLag, (inFrames * 48000) / 44100 - outFrames);
    }
    // The look-ahead holds back about half a filter, never more.
    expect(maxLag).toBeLessThanOrEqual(((r.taps / 2 + 1) * 48000) / 44100);
    outFrames += r.flush('f32').length;
    expect(outFrames).toBe(Math.ceil((inFrames * 48000) / 44100));
  });

  it('aligns output on input time: an impulse at input sample k peaks at output sample k × out/in', () => {
    for (const [inRate, outRate, k] of [
      [16000, 48000, 1000],
      [48000, 16000, 3000],
      [24000, 16000, 1500],
    ]) {
      const input = new Float32Array(inRate / 2);
      input[k] = 1;
      const out = runChunks(new Resampler({ inRate, outRate, inChannels: 1, outChannels: 1 }), [input], 'f32');
      let peak = 0;
      for (let i = 1; i < out.length; i++) if (Math.abs(out[i]) > Math.abs(out[peak])) peak = i;
      expect(peak).toBe((k * outRate) / inRate);
    }
  });

  it('restarts at time 0 after reset', () => {
    const r = new Resampler({ inRate: 48000, outRate: 16000, inChannels: 1, outChannels: 1 });
    const input = sine(48000, 500, 4800);
    const first = runChunks(r, [input.subarray(0, 1000)], 'f32');
    r.process(input.subarray(0, 777), 'f32');
    r.reset();
    expect(r.produced).toBe(0);
    const again = runChunks(r, [input.subarray(0, 1000)], 'f32');
    expect(again).toEqual(first);
  });

  it('rejects a chunk that is not a whole number of frames', () => {
    const r = new Resampler({ inRate: 48000, outRate: 16000, inChannels: 2, outChannels: 1 });
    expect(() => r.process(new Float32Array(3), 'f32')).toThrow(
      'resampler: 3 samples is not a whole number of 2-channel frames',
    );
    expect(() => new Resampler({ inRate: 44100.5, outRate: 16000, inChannels: 1, outChannels: 1 })).toThrow(
      'resampler: inRate must be a positive integer (got 44100.5)',
    );
  });
});

describe('resampler channel mixing', () => {
  it('averages stereo into mono and duplicates mono into stereo', () => {
    const stereo = Float32Array.from([0.5, 0.1, -0.2, 0.4, 0.3, 0.3]);
    const down = new Resampler({ inRate: 16000, outRate: 16000, inChannels: 2, outChannels: 1 }).process(stereo, 'f32');
    expect(Array.from(down)).toEqual(Array.from(Float32Array.from([0.3, 0.1, 0.3])));
    const up = new Resampler({ inRate: 16000, outRate: 16000, inChannels: 1, outChannels: 2 }).process(
      Int16Array.from([100, -200]),
      'pcm16',
    );
    expect(Array.from(up)).toEqual([100, 100, -200, -200]);
  });

  it('maps 4 channels onto 2 (0+2 left, 1+3 right) and 2 onto 6 by repeating', () => {
    const quad = Float32Array.from([0.1, 0.2, 0.3, 0.4]);
    const two = new Resampler({ inRate: 8000, outRate: 8000, inChannels: 4, outChannels: 2 }).process(quad, 'f32');
    expect(two[0]).toBeCloseTo(0.2, 6);
    expect(two[1]).toBeCloseTo(0.3, 6);
    const six = new Resampler({ inRate: 8000, outRate: 8000, inChannels: 2, outChannels: 6 }).process(
      Int16Array.from([1, 2]),
      'pcm16',
    );
    expect(Array.from(six)).toEqual([1, 2, 1, 2, 1, 2]);
  });

  it('mixes while resampling: a stereo 48k tone becomes the same tone at 16k mono and stereo', () => {
    const input = sine(48000, 1000, 4800, 0.5, 2);
    const mono = runChunks(
      new Resampler({ inRate: 48000, outRate: 16000, inChannels: 2, outChannels: 1 }),
      [input],
      'f32',
    );
    const stereo = runChunks(
      new Resampler({ inRate: 48000, outRate: 16000, inChannels: 2, outChannels: 2 }),
      [input],
      'f32',
    );
    expect(stereo.length).toBe(2 * mono.length);
    for (let i = 0; i < mono.length; i++) {
      expect(stereo[2 * i]).toBeCloseTo(mono[i], 6);
      expect(stereo[2 * i + 1]).toBeCloseTo(mono[i], 6);
    }
  });

  it('saturates pcm16 output instead of wrapping', () => {
    const out = new Resampler({ inRate: 8000, outRate: 8000, inChannels: 1, outChannels: 1 }).process(
      Float32Array.from([1.5, -1.5, 0.5]),
      'pcm16',
    );
    expect(Array.from(out)).toEqual([32767, -32768, 16384]);
  });
});
