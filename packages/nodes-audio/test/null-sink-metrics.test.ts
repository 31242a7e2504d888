import type { AudioFormat, Frame } from '@beluga-voice/core';
import { runNode } from '@beluga-voice/core/testing';
import { describe, expect, it } from 'vitest';
import { nullSink } from '../src/null-sink.js';
import { framesOf, tone } from './audio-helpers.js';

const PCM16: AudioFormat = { encoding: 'pcm16', sampleRate: 16000, channels: 1 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('audio.null-sink', () => {
  it('counts every frame and the ms of audio, reported at the end and every reportEveryMs', async () => {
    const frames: Frame[] = [
      ...framesOf(PCM16, tone(16000, 440, 1000)),
      { kind: 'speech-start', timestamp: 100, source: 'vad' },
      { kind: 'text', timestamp: 200, text: 'hi' },
    ];
    const h = await runNode(nullSink, { config: { reportEveryMs: 500 }, inputs: { audio: frames } });
    await sleep(20);
    await h.close();
    const metrics = h.events.flatMap((e) => (e.type === 'metric' ? [[e.name, e.value]] : []));
    expect(metrics).toEqual([
      ['null_sink.frames', 25],
      ['null_sink.audio_ms', 500],
      ['null_sink.frames', 50],
      ['null_sink.audio_ms', 1000],
      ['null_sink.frames', 52],
      ['null_sink.audio_ms', 1000],
    ]);
  });
});
