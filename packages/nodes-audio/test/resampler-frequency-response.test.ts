import { fitTone } from '@beluga-voice/core/testing';
import { describe, expect, it } from 'vitest';
import { Resampler } from '../src/resampler.js';
import { concat, db, rms, sine } from './signals.js';

/** Resamples a whole signal (f32 mono) including the flushed tail. */
function resampleAll(
  input: Float32Array,
  inRate: number,
  outRate: number,
  quality: 'high' | 'low' = 'high',
): Float32Array {
  const r = new Resampler({ inRate, outRate, inChannels: 1, outChannels: 1, quality });
  return concat([r.process(input, 'f32'), r.flush('f32')]);
}

const PAIRS: Array<[number, number]> = [
  [48000, 16000],
  [16000, 48000],
  [48000, 24000],
  [16000, 24000],
  [24000, 16000],
  [44100, 16000],
  [8000, 16000],
  [22050, 48000],
  [48000, 44100],
  [24000, 48000],
  [8000, 24000],
];

describe('resampler stopband attenuation (high quality)', () => {
  it('a 12 kHz tone resampled 48k -> 16k comes out at least 80 dB down', () => {
    const input = sine(48000, 12000, 48000);
    const out = resampleAll(input, 48000, 16000);
    // Skip the edges, where the tone starts and stops abruptly.
    const level = db(rms(out, 1600, out.length - 1600) / rms(input));
    expect(level).toBeLessThanOrEqual(-80);
  });

  for (const [inRate, outRate] of PAIRS.filter(([a, b]) => a > b)) {
    it(`${inRate} -> ${outRate}: every tone from the output Nyquist up is at least 80 dB down`, () => {
      const worst: number[] = [];
      for (let k = 0; k < 12; k++) {
        const f = outRate / 2 + (k * (inRate - outRate)) / 24;
        const input = sine(inRate, f, inRate / 2);
        const out = resampleAll(input, inRate, outRate);
        worst.push(db(rms(out, outRate / 20, out.length - outRate / 20) / rms(input)));
      }
      expect(Math.max(...worst)).toBeLessThanOrEqual(-80);
    });
  }

  for (const [inRate, outRate] of PAIRS.filter(([a, b]) => a < b)) {
    it(`${inRate} -> ${outRate}: images of passband tones are at least 80 dB down`, () => {
      const worst: number[] = [];
      for (let k = 0; k <= 10; k++) {
        const f = inRate * (0.02 + k * 0.043);
        const input = sine(inRate, f, inRate / 2);
        const out = resampleAll(input, inRate, outRate);
        const edge = outRate / 20;
        const fit = fitTone(out, outRate, f, edge, out.length - edge);
        worst.push(db(fit.residualRms / (fit.amplitude / Math.SQRT2)));
      }
      expect(Math.max(...worst)).toBeLessThanOrEqual(-80);
    });
  }
});

describe('resampler passband (high quality)', () => {
  for (const [inRate, outRate] of PAIRS) {
    it(`${inRate} -> ${outRate}: gain within ±0.1 dB from 0 to 0.45 × the lower rate`, () => {
      const lower = Math.min(inRate, outRate);
      const gains: number[] = [];
      for (let k = 0; k <= 16; k++) {
        const f = lower * (0.01 + k * 0.0275);
        const input = sine(inRate, f, inRate / 2);
        const out = resampleAll(input, inRate, outRate);
        const edge = outRate / 20;
        gains.push(db(fitTone(out, outRate, f, edge, out.length - edge).amplitude / 0.5));
      }
      expect(Math.max(...gains)).toBeLessThan(0.1);
      expect(Math.min(...gains)).toBeGreaterThan(-0.1);
    });
  }

  it('a constant input stays exactly constant', () => {
    const out = resampleAll(new Float32Array(4800).fill(0.25), 48000, 44100);
    for (let i = 200; i < out.length - 200; i++) expect(out[i]).toBeCloseTo(0.25, 6);
  });
});

describe('resampler low quality', () => {
  it('uses a much shorter filter and still attenuates aliases by 50 dB', () => {
    const high = new Resampler({ inRate: 48000, outRate: 16000, inChannels: 1, outChannels: 1 });
    const low = new Resampler({ inRate: 48000, outRate: 16000, inChannels: 1, outChannels: 1, quality: 'low' });
    expect(low.taps * 4).toBeLessThan(high.taps);
    const input = sine(48000, 12000, 24000);
    const out = resampleAll(input, 48000, 16000, 'low');
    expect(db(rms(out, 800, out.length - 800) / rms(input))).toBeLessThanOrEqual(-50);
    const speechBand = resampleAll(sine(48000, 3000, 24000), 48000, 16000, 'low');
    expect(Math.abs(db(fitTone(speechBand, 16000, 3000, 800, speechBand.length - 800).amplitude / 0.5))).toBeLessThan(
      0.1,
    );
  });
});
