import type { AudioFormat, AudioFrame, Frame } from '@beluga-voice/core';
import { runNode } from '@beluga-voice/core/testing';
import { defer, EMPTY, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { vadEnergy } from '../src/vad-energy-node.js';

const F32_16K: AudioFormat = { encoding: 'f32', sampleRate: 16000, channels: 1 };

/**
 * Digital silence with speech-like bursts over each [startMs, endMs): a 440 Hz tone whose level
 * swings between about -40 and -20 dBFS four times a second, like syllables (a steady tone
 * would be taken for background noise).
 */
function signal(totalMs: number, bursts: Array<[number, number]>): Float32Array {
  const out = new Float32Array((totalMs * 16000) / 1000);
  for (const [a, b] of bursts) {
    for (let i = (a * 16000) / 1000; i < (b * 16000) / 1000; i++) {
      const envelope = 0.55 + 0.45 * Math.cos((2 * Math.PI * 4 * (i - (a * 16000) / 1000)) / 16000);
      out[i] = 0.14 * envelope * Math.sin((2 * Math.PI * 440 * i) / 16000);
    }
  }
  return out;
}

function framesOf(samples: Float32Array, ms: number, startMs = 0): AudioFrame[] {
  const step = (16000 * ms) / 1000;
  const out: AudioFrame[] = [];
  for (let i = 0; i < samples.length; i += step) {
    out.push({
      kind: 'audio',
      timestamp: startMs + (i / 16000) * 1000,
      format: F32_16K,
      samples: samples.subarray(i, i + step),
    });
  }
  return out;
}

const speechOnly = (out: Frame[]) => out.filter((f) => f.kind !== 'audio');

describe('audio.vad-energy node', () => {
  it('passes every audio frame through unchanged, with speech frames where they were decided', async () => {
    const input = framesOf(signal(3000, [[1000, 2000]]), 20);
    const h = await runNode(vadEnergy, { id: 'vad', inputs: { audio: input } });
    const out = await h.collect('audio');
    const audio = out.filter((f) => f.kind === 'audio');
    expect(audio.length).toBe(input.length);
    for (const [i, f] of audio.entries()) expect(f).toBe(input[i]);
    // Confirmed by the window ending at 1100 ms (min speech 100 ms), reported at the onset.
    const start = out.findIndex((f) => f.kind === 'speech-start');
    expect(out[start]).toEqual({ kind: 'speech-start', timestamp: 1000, source: 'vad' });
    expect(out[start + 1].timestamp).toBe(1080);
    // Decided once 500 ms of silence have passed, reported at the end of speech.
    const stop = out.findIndex((f) => f.kind === 'speech-stop');
    expect(out[stop]).toEqual({ kind: 'speech-stop', timestamp: 2000, source: 'vad' });
    expect(out[stop + 1].timestamp).toBe(2480);
  });

  it('emits only speech frames on the events output', async () => {
    const h = await runNode(vadEnergy, { id: 'vad', inputs: { audio: framesOf(signal(3000, [[1000, 2000]]), 20) } });
    expect(await h.collect('events')).toEqual([
      { kind: 'speech-start', timestamp: 1000, source: 'vad' },
      { kind: 'speech-stop', timestamp: 2000, source: 'vad' },
    ]);
  });

  it('finds the same speech whatever the frame sizes', async () => {
    const samples = signal(3000, [[1000, 2000]]);
    for (const ms of [7, 10, 32, 100, 1000]) {
      const h = await runNode(vadEnergy, { id: 'vad', inputs: { audio: framesOf(samples, ms, 5000) } });
      expect((await h.collect('events')).map((f) => f.timestamp)).toEqual([6000, 7000]);
    }
  });

  it('ignores bursts shorter than minSpeechMs and gaps shorter than minSilenceMs', async () => {
    const input = framesOf(
      signal(4000, [
        [300, 360],
        [1000, 1800],
        [2000, 2600],
      ]),
      20,
    );
    const h = await runNode(vadEnergy, {
      id: 'vad',
      config: { minSpeechMs: 100, minSilenceMs: 300 },
      inputs: { audio: input },
    });
    expect((await h.collect('events')).map((f) => [f.kind, f.timestamp])).toEqual([
      ['speech-start', 1000],
      ['speech-stop', 2600],
    ]);
  });

  it('with gate, passes only speech audio and the prefix padding before it', async () => {
    const input = framesOf(signal(3000, [[1000, 2000]]), 20);
    const h = await runNode(vadEnergy, {
      id: 'vad',
      config: { gate: true, prefixPaddingMs: 300 },
      inputs: { audio: input },
    });
    const out = await h.collect('audio');
    expect(out[0]).toEqual({ kind: 'speech-start', timestamp: 1000, source: 'vad' });
    const audio = out.filter((f) => f.kind === 'audio');
    expect(audio[0].timestamp).toBe(700);
    // Everything up to the frame during which the speech-stop was decided.
    expect(audio[audio.length - 1].timestamp).toBe(2480);
    expect(audio.length).toBe((2500 - 700) / 20);
    expect(out[out.length - 2]).toEqual({ kind: 'speech-stop', timestamp: 2000, source: 'vad' });
  });

  it('closes open speech at a discont and at the end of the stream', async () => {
    const first = framesOf(signal(1000, [[200, 1000]]), 20);
    const second = framesOf(signal(1000, [[0, 1000]]), 20, 9000).map((f, i) => (i === 0 ? { ...f, discont: true } : f));
    const h = await runNode(vadEnergy, { id: 'vad', inputs: { audio: [...first, ...second] } });
    const out = await h.collect('audio');
    expect(speechOnly(out).map((f) => [f.kind, f.timestamp])).toEqual([
      ['speech-start', 200],
      ['speech-stop', 1000],
      ['speech-start', 9000],
      ['speech-stop', 10000],
    ]);
    // The stop of the first segment comes before the discont frame.
    const discont = out.findIndex((f) => f.kind === 'audio' && f.discont);
    expect(out[discont - 1]).toMatchObject({ kind: 'speech-stop', timestamp: 1000 });
  });

  it('down-mixes stereo pcm16 input', async () => {
    const mono = signal(2000, [[500, 1500]]);
    const stereo = new Int16Array(mono.length * 2);
    for (let i = 0; i < mono.length; i++) stereo[2 * i] = stereo[2 * i + 1] = Math.round(mono[i] * 32767);
    const format: AudioFormat = { encoding: 'pcm16', sampleRate: 16000, channels: 2 };
    const frames: AudioFrame[] = [];
    for (let i = 0; i < stereo.length; i += 640)
      frames.push({ kind: 'audio', timestamp: i / 32, format, samples: stereo.subarray(i, i + 640) });
    const h = await runNode(vadEnergy, { id: 'vad', inputs: { audio: frames } });
    expect((await h.collect('events')).map((f) => f.timestamp)).toEqual([500, 1500]);
  });

  it('fails with a message naming the node on G.711 input', async () => {
    const format: AudioFormat = { encoding: 'mulaw', sampleRate: 8000, channels: 1 };
    const h = await runNode(vadEnergy, {
      id: 'mic-vad',
      inputs: { audio: [{ kind: 'audio', timestamp: 0, format, samples: new Uint8Array(160) }] },
    });
    await expect(h.collect('audio')).rejects.toThrow(
      'audio.vad-energy "mic-vad": cannot read mulaw audio (decode it to pcm16 or f32 first)',
    );
  });

  it('rejects a stop threshold above the start threshold', () => {
    const result = vadEnergy.config.safeParse({ startDb: 6, stopDb: 10 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ['stopDb'], message: 'stopDb must not exceed startDb' });
  });

  it('emits each speech frame together with the audio frame that decided it (marble)', async () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    const frames = framesOf(signal(800, [[200, 400]]), 100);
    // The input is created inside `run` (virtual time); the node subscribes to it only then.
    let input: Observable<Frame> = EMPTY;
    const h = await runNode(vadEnergy, {
      id: 'vad',
      config: { minSilenceMs: 300 },
      inputs: { audio: defer(() => input) },
      scheduler,
    });
    scheduler.run(({ cold, expectObservable }) => {
      input = cold(
        'a 99ms b 99ms c 99ms d 99ms e 99ms f 99ms g 99ms h|',
        Object.fromEntries(frames.map((f, i) => ['abcdefgh'[i], f])),
      );
      // Speech is confirmed in frame c (window ending at 300 ms) and ends in frame g (300 ms of silence after 400 ms).
      expectObservable(h.outputs.events ?? EMPTY).toBe('200ms s 399ms t 100ms |', {
        s: { kind: 'speech-start', timestamp: 200, source: 'vad' },
        t: { kind: 'speech-stop', timestamp: 400, source: 'vad' },
      });
    });
  });
});
