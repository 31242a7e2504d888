import { rmsDb } from '@beluga-voice/core/audio';
import { describe, expect, it } from 'vitest';
import { EnergyVad } from '../src/energy-vad.js';

const OPTIONS = {
  startDb: 10,
  stopDb: 6,
  minLevelDb: -55,
  initialFloorDb: -60,
  floorRiseDbPerSec: 3,
  steadyDb: 2,
  steadyMs: 600,
};

/** A 20 ms window (16 kHz) of a sine at `db` dBFS RMS. */
function tone(db: number, phase = 0): Float32Array {
  const amplitude = Math.SQRT2 * 10 ** (db / 20);
  return Float32Array.from({ length: 320 }, (_, i) => amplitude * Math.sin(phase + (2 * Math.PI * 300 * i) / 16000));
}

describe('EnergyVad', () => {
  it('measures RMS in dBFS', () => {
    expect(rmsDb(tone(-20))).toBeCloseTo(-20, 1);
    expect(rmsDb(new Float32Array(320))).toBe(-120);
  });

  it('follows the noise floor down at once and up slowly', () => {
    const vad = new EnergyVad(OPTIONS);
    vad.classify(tone(-70), 20);
    expect(vad.floorDb).toBeCloseTo(-70, 1);
    // Alternating levels are not steady: only the slow rise applies (3 dB/s × 20 ms each).
    for (let i = 0; i < 50; i++) vad.classify(tone(i % 2 ? -30 : -45), 20);
    expect(vad.floorDb).toBeCloseTo(-67, 1);
  });

  it('starts above floor + startDb, keeps above floor + stopDb, and never starts below minLevelDb', () => {
    const vad = new EnergyVad(OPTIONS);
    vad.classify(tone(-70), 20);
    expect(vad.classify(tone(-58), 20)).toEqual({ start: false, keep: true });
    expect(vad.classify(tone(-50), 20)).toEqual({ start: true, keep: true });
    const quiet = new EnergyVad(OPTIONS);
    quiet.classify(new Float32Array(320), 20);
    expect(quiet.classify(tone(-80), 20)).toEqual({ start: false, keep: false });
  });

  it('takes a level that stays steady for steadyMs as the new background', () => {
    const vad = new EnergyVad(OPTIONS);
    vad.classify(tone(-70), 20);
    const decisions = Array.from({ length: 40 }, (_, i) => vad.classify(tone(-40, i), 20));
    expect(decisions[0].start).toBe(true);
    expect(vad.floorDb).toBeCloseTo(-40, 0);
    expect(vad.classify(tone(-40), 20)).toEqual({ start: false, keep: false });
  });
});
