import { fitTone } from '@beluga-voice/core/testing';
import { describe, expect, it } from 'vitest';

describe('fitTone', () => {
  it('recovers a tone’s amplitude at any phase and leaves a second tone as the residual', () => {
    const rate = 16_000;
    const samples = Float64Array.from(
      { length: rate },
      (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / rate + 1.1) + 0.01 * Math.sin((2 * Math.PI * 3000 * i) / rate),
    );
    const fit = fitTone(samples, rate, 440, 0, rate);
    expect(fit.amplitude).toBeCloseTo(0.5, 6);
    // The 3 kHz tone, orthogonal over one second, is all that is left: its RMS.
    expect(fit.residualRms).toBeCloseTo(0.01 / Math.SQRT2, 6);
    expect(fit.wave(rate + 7)).toBeCloseTo(0.5 * Math.sin((2 * Math.PI * 440 * (rate + 7)) / rate + 1.1), 6);
  });
});
