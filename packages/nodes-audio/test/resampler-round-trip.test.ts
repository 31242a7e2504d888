import { describe, expect, it } from 'vitest';
import { Resampler } from '../src/resampler.js';
import { readFixture } from './read-fixture.js';
import { bandSnrDb, concat } from './signals.js';

function resample(input: Float32Array, inRate: number, outRate: number, inChannels = 1): Float32Array {
  const r = new Resampler({ inRate, outRate, inChannels, outChannels: 1 });
  return concat([r.process(input, 'f32'), r.flush('f32')]);
}

describe('resampler round trip on speech', () => {
  // Measured: about 111 dB for both (float path; the filters' ripple is far below 0.1 dB).
  it('48k stereo -> 16k mono -> 48k keeps the speech band (below 7 kHz) above 90 dB SNR', () => {
    const fixture = readFixture('two-turns-48k-stereo.wav');
    expect(fixture.format).toEqual({ encoding: 'pcm16', sampleRate: 48000, channels: 2 });
    const stereo = Float32Array.from(fixture.samples, (v) => v / 32768);
    const mono48 = resample(stereo, 48000, 48000, 2);
    const mono16 = resample(stereo, 48000, 16000, 2);
    const back = resample(mono16, 16000, 48000);
    expect(mono16.length).toBe(Math.ceil(mono48.length / 3));
    expect(back.length).toBe(mono16.length * 3);
    const snr = bandSnrDb(mono48, back, 48000, 7000);
    expect(snr).toBeGreaterThan(90);
  });

  it('24k -> 16k -> 24k on the same speech also stays above 90 dB SNR below 7 kHz', () => {
    const fixture = readFixture('two-turns-24k.wav');
    const x = Float32Array.from(fixture.samples, (v) => v / 32768);
    const mid = resample(x, 24000, 16000);
    const back = resample(mid, 16000, 24000);
    expect(mid.length).toBe(Math.ceil((x.length * 2) / 3));
    expect(back.length).toBe(Math.ceil((mid.length * 3) / 2));
    expect(bandSnrDb(x, back, 24000, 7000)).toBeGreaterThan(90);
  });

  // The five pairs of issue 18, there and back, on speech at the first rate (made from the 48 kHz
  // fixture), counted below 0.45 × the lower rate.
  for (const [a, b] of [
    [48000, 16000],
    [16000, 24000],
    [24000, 48000],
    [44100, 16000],
    [8000, 24000],
  ]) {
    it(`${a / 1000}k -> ${b / 1000}k -> ${a / 1000}k keeps the passband above 85 dB SNR`, () => {
      const fixture = readFixture('two-turns-48k-stereo.wav');
      const stereo = Float32Array.from(fixture.samples.subarray(0, 48000 * 2 * 4), (v) => v / 32768);
      const x = resample(stereo, 48000, a, 2);
      const back = resample(resample(x, a, b), b, a);
      expect(back.length).toBeGreaterThanOrEqual(x.length);
      expect(bandSnrDb(x, back, a, 0.45 * Math.min(a, b))).toBeGreaterThan(85);
    });
  }
});
