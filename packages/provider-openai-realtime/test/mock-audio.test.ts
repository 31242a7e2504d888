import { describe, expect, it } from 'vitest';
import { decodeToPcm16, encodeFromPcm16, readWavAsPcm16, tone } from '../src/mock/audio.js';
import { EnergyVad } from '../src/mock/energy-vad.js';
import { TWO_TURNS_24K } from './support/fixtures.js';

describe('mock audio: G.711, WAV replies and the energy VAD', () => {
  it.each(['g711_ulaw', 'g711_alaw'] as const)('%s round-trips a tone within 3 percent of full scale', (format) => {
    const input = tone(440, 100, 8000);
    const output = decodeToPcm16(format, encodeFromPcm16(format, input));
    let worst = 0;
    for (let i = 0; i < input.length; i++) worst = Math.max(worst, Math.abs(output[i] - input[i]));
    expect(worst / 32768).toBeLessThan(0.03);
    expect(encodeFromPcm16(format, new Int16Array([0])).length).toBe(1);
  });

  it('reads the 24 kHz fixture as 24 kHz or 8 kHz mono', () => {
    const at24 = readWavAsPcm16(TWO_TURNS_24K, 24000);
    const at8 = readWavAsPcm16(TWO_TURNS_24K, 8000);
    expect(at24.length).toBe(220511);
    expect(at8.length).toBe(Math.floor(220511 / 3));
  });

  it('finds both turns of the fixture, with prefix padding and the silence duration', () => {
    const vad = new EnergyVad({ threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500 }, 24000);
    const audio = readWavAsPcm16(TWO_TURNS_24K, 24000);
    const events = [];
    for (let i = 0; i < audio.length; i += 480) events.push(...vad.push(audio.subarray(i, i + 480)));
    expect(events.map((e) => e.type)).toEqual(['start', 'stop', 'start', 'stop']);
    // segments.json: speech 0.5–2.599 s and 4.599–7.688 s.
    const at = events.map((e) => (e.type === 'start' ? e.audioStartMs : e.audioEndMs));
    const within = (value: number, from: number, to: number) =>
      expect(value >= from && value <= to, `${value} in [${from}, ${to}]`).toBe(true);
    within(at[0], 150, 250);
    within(at[1], 3050, 3150);
    within(at[2], 4250, 4400);
    within(at[3], 8150, 8250);
  });
});
