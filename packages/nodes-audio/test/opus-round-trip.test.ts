import type { EncodedAudioFrame } from '@beluga-voice/core';
import { runNode } from '@beluga-voice/core/testing';
import { describe, expect, it } from 'vitest';
import { opusDecode } from '../src/opus-decode.js';
import { opusEncode } from '../src/opus-encode.js';
import { readWav } from '../src/wav-reader.js';
import { audioOf, fixture, framesOf, joinSamples } from './audio-helpers.js';

/** SNR in dB of `decoded` against `reference` at the lag (codec delay) that fits best. */
function alignedSnr(reference: Int16Array, decoded: Int16Array, maxLag: number): { snr: number; lag: number } {
  let best = { snr: Number.NEGATIVE_INFINITY, lag: 0 };
  for (let lag = 0; lag <= maxLag; lag++) {
    let signal = 0;
    let error = 0;
    for (let i = 0; i < reference.length && i + lag < decoded.length; i++) {
      signal += reference[i] ** 2;
      error += (decoded[i + lag] - reference[i]) ** 2;
    }
    const snr = 10 * Math.log10(signal / error);
    if (snr > best.snr) best = { snr, lag };
  }
  return best;
}

describe('audio.opus-encode → audio.opus-decode', () => {
  it('round-trips 16 kHz speech with 20 ms packets at 32 kbit/s, SNR above 10 dB after the codec delay', async () => {
    const { samples, format } = await readWav(fixture('two-turns-16k.wav'));
    const speech = (samples as Int16Array).subarray(0, 16000 * 3);
    const input = framesOf(format, speech, 30, 500);
    const encoder = await runNode(opusEncode, { config: { frameMs: 20, bitrate: 32000 }, inputs: { audio: input } });
    const packets = (await encoder.collect('packets')) as EncodedAudioFrame[];
    expect(packets).toHaveLength(150);
    expect(packets.map((p) => p.timestamp)).toEqual(Array.from({ length: 150 }, (_, k) => 500 + k * 20));
    for (const p of packets)
      expect(p).toMatchObject({ kind: 'encoded-audio', codec: 'opus', sampleRate: 16000, channels: 1 });
    const bytes = packets.reduce((n, p) => n + p.data.length, 0);
    // 32 kbit/s for 3 s is 12 000 bytes; the encoder stays within 25 % of its target.
    expect(bytes).toBeGreaterThan(9000);
    expect(bytes).toBeLessThan(15000);

    const decoder = await runNode(opusDecode, { config: { sampleRate: 16000 }, inputs: { packets } });
    const frames = audioOf(await decoder.collect('audio'));
    expect(frames).toHaveLength(150);
    expect(frames[0].format).toEqual({ encoding: 'pcm16', sampleRate: 16000, channels: 1 });
    expect(frames.at(-1)?.timestamp).toBeCloseTo(500 + 149 * 20, 6);
    const decoded = joinSamples<Int16Array>(frames);
    expect(decoded.length).toBe(speech.length);
    const { snr, lag } = alignedSnr(speech.subarray(0, speech.length - 400), decoded, 400);
    expect(lag).toBeGreaterThan(0);
    expect(snr).toBeGreaterThan(10);
  });

  it('decodes the same packets at 48 kHz stereo (Opus decodes at any of its rates)', async () => {
    const { samples, format } = await readWav(fixture('two-turns-16k.wav'));
    const input = framesOf(format, (samples as Int16Array).subarray(0, 16000), 20);
    const packets = await (await runNode(opusEncode, { inputs: { audio: input } })).collect('packets');
    const decoder = await runNode(opusDecode, { config: { sampleRate: 48000, channels: 2 }, inputs: { packets } });
    const frames = audioOf(await decoder.collect('audio'));
    expect(frames).toHaveLength(50);
    expect(frames[0].samples.length).toBe(960 * 2);
  });

  it('rejects an invalid packet duration in config', () => {
    expect(() => opusEncode.config.parse({ frameMs: 30 })).toThrow('must be 2.5, 5, 10, 20, 40 or 60');
  });
});
