import { readFileSync } from 'node:fs';
import { EnergyTurnDetector, type TurnEvent } from '@beluga-voice/core';
import { decodeWav } from '@beluga-voice/core/audio';
import { describe, expect, it } from 'vitest';

const fixture = (name: string) =>
  decodeWav(readFileSync(new URL(`../../../fixtures/audio/${name}`, import.meta.url)), name, 'pcm16');
const segments = JSON.parse(
  readFileSync(new URL('../../../fixtures/audio/segments.json', import.meta.url), 'utf8'),
) as Record<string, { speech: [number, number][] }>;

function detect(name: string, frameMs: number): TurnEvent[] {
  const { format, samples } = fixture(name);
  const detector = new EnergyTurnDetector({ thresholdDb: -50, minSpeechMs: 60, hangoverMs: 500 }, format.sampleRate);
  const perFrame = Math.round((format.sampleRate * frameMs) / 1000);
  const events: TurnEvent[] = [];
  for (let at = 0; at < samples.length; at += perFrame) {
    events.push(...detector.push(samples.subarray(at, at + perFrame), (at / format.sampleRate) * 1000));
  }
  return events;
}

describe('stub providers: energy turn detector', () => {
  it.each(['single-utterance-16k.wav', 'two-turns-16k.wav', 'two-turns-24k.wav'])(
    'finds the speech of %s within 40 ms',
    (name) => {
      const key = name.replace('24k', '16k');
      const stops = detect(name, 20).filter((e) => e.type === 'stop');
      expect(stops).toHaveLength(segments[key].speech.length);
      stops.forEach((stop, i) => {
        const [from, to] = segments[key].speech[i];
        expect(Math.abs(stop.startMs - from * 1000)).toBeLessThanOrEqual(40);
        expect(Math.abs(stop.endMs - to * 1000)).toBeLessThanOrEqual(40);
      });
    },
  );

  it('gives the same turns however the audio is chunked', () => {
    expect(detect('two-turns-16k.wav', 7)).toEqual(detect('two-turns-16k.wav', 20));
    expect(detect('two-turns-16k.wav', 100)).toEqual(detect('two-turns-16k.wav', 20));
  });

  it('ignores a click shorter than minSpeechMs', () => {
    const detector = new EnergyTurnDetector({ thresholdDb: -40, minSpeechMs: 60, hangoverMs: 200 }, 16_000);
    const click = new Int16Array(16_000).fill(0);
    click.fill(10_000, 8000, 8000 + 320);
    expect(detector.push(click, 0)).toEqual([]);
  });
});
