import { describe, expect, it } from 'vitest';
import type { AudioFormat } from '../src/audio-format.js';
import type { AudioFrame } from '../src/frames.js';
import { CircuitBreaker } from '../src/provider/failover/circuit-breaker.js';
import { PcmRateConverter } from '../src/provider/failover/pcm-rate-converter.js';
import { HeldInputBuffer } from '../src/provider/held-input.js';

const pcm = (sampleRate: number): AudioFormat => ({ encoding: 'pcm16', sampleRate, channels: 1 });
const frame = (samples: Int16Array, sampleRate: number, timestamp = 0): AudioFrame => ({
  kind: 'audio',
  timestamp,
  format: pcm(sampleRate),
  samples,
});

function sine(rate: number, hz: number, n: number): Int16Array {
  return Int16Array.from({ length: n }, (_, i) => Math.round(10_000 * Math.sin((2 * Math.PI * hz * i) / rate)));
}

describe('PcmRateConverter', () => {
  it('24 kHz to 16 kHz: the same samples however the input is cut, and the tone keeps its pitch', () => {
    const input = sine(24_000, 440, 24_000);
    const whole = new PcmRateConverter(pcm(24_000), pcm(16_000)).convert(frame(input, 24_000)).samples as Int16Array;
    const chunked = new PcmRateConverter(pcm(24_000), pcm(16_000));
    const parts: number[] = [];
    let at = 0;
    const sizes = [1, 7, 480, 333, 1000];
    for (let i = 0; at < input.length; i++) {
      const size = sizes[i % sizes.length];
      parts.push(...(chunked.convert(frame(input.subarray(at, at + size), 24_000)).samples as Int16Array));
      at += size;
    }
    expect(parts).toEqual([...whole]);
    expect(Math.abs(whole.length - 16_000)).toBeLessThanOrEqual(1);
    const expected = sine(16_000, 440, whole.length);
    let maxError = 0;
    for (let i = 0; i < whole.length; i++) maxError = Math.max(maxError, Math.abs(whole[i] - expected[i]));
    expect(maxError).toBeLessThan(150);
  });

  it('timestamps follow the converted audio; other encodings are refused with the formats named', () => {
    const c = new PcmRateConverter(pcm(24_000), pcm(16_000));
    const a = c.convert(frame(new Int16Array(480), 24_000, 0));
    const b = c.convert(frame(new Int16Array(480), 24_000, 20));
    expect(a.format).toEqual(pcm(16_000));
    expect(b.timestamp).toBeCloseTo((a.samples.length / 16_000) * 1000, 6);
    expect(() => new PcmRateConverter({ encoding: 'mulaw', sampleRate: 8000, channels: 1 }, pcm(16_000))).toThrow(
      'failover: cannot convert mulaw 8000 Hz mono to pcm16 16000 Hz mono (mono pcm16 only)',
    );
  });
});

describe('HeldInputBuffer', () => {
  it('keeps order, bounds audio to maxMs by dropping the oldest, and counts what it dropped', () => {
    const buffer = new HeldInputBuffer(100);
    const ms20 = (t: number) => frame(new Int16Array(320), 16_000, t);
    buffer.push({ kind: 'speech-start', atMs: 0 });
    for (let t = 0; t < 160; t += 20) buffer.push({ kind: 'audio', frame: ms20(t) });
    buffer.push({ kind: 'text', text: 'hi', respond: true });
    expect(buffer.stats()).toEqual({ bufferedMs: 100, droppedMs: 60 });
    const taken = buffer.take();
    expect(taken.items.map((i) => (i.kind === 'audio' ? i.frame.timestamp : i.kind))).toEqual([
      'speech-start',
      60,
      80,
      100,
      120,
      140,
      'text',
    ]);
    expect(buffer.stats()).toEqual({ bufferedMs: 0, droppedMs: 0 });
  });
});

describe('CircuitBreaker', () => {
  it('opens for the cool-down after a failure and closes on success', () => {
    let now = 0;
    const breaker = new CircuitBreaker(1000, () => now);
    breaker.trip(1, 'rate limited');
    expect([breaker.isOpen(0), breaker.isOpen(1), breaker.retryInMs(1), breaker.lastFailure(1)]).toEqual([
      false,
      true,
      1000,
      'rate limited',
    ]);
    now = 999;
    expect(breaker.isOpen(1)).toBe(true);
    now = 1000;
    expect(breaker.isOpen(1)).toBe(false);
    breaker.trip(1, 'again');
    breaker.succeeded(1);
    expect([breaker.isOpen(1), breaker.lastFailure(1)]).toEqual([false, undefined]);
  });
});
