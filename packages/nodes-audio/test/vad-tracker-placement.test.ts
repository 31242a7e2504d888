import type { AudioFormat, AudioFrame, Frame } from '@beluga-voice/core';
import { describe, expect, it } from 'vitest';
import type { SpeechEvent } from '../src/speech-segmenter.js';
import { VadTracker } from '../src/vad-tracker.js';

const format: AudioFormat = { encoding: 'pcm16', sampleRate: 16000, channels: 1 };

/** 20 ms frames from `startMs`, each one window of the pattern: 'S' speech, '.' silence. */
function frames(pattern: string, startMs: number, discont = false): AudioFrame[] {
  return [...pattern].map((_, i) => ({
    kind: 'audio',
    timestamp: startMs + i * 20,
    format,
    samples: new Int16Array(320),
    ...(discont && i === 0 ? { discont: true } : {}),
  }));
}

/** Runs the tracker with 20 ms windows decided by the pattern; returns the speech frames. */
function run(pattern: string, place: (e: SpeechEvent) => number, chunks: AudioFrame[][]): Frame[] {
  const starts: number[] = [];
  const tracker = new VadTracker({
    source: 'vad',
    label: 'test "vad"',
    minSpeechMs: 0,
    minSilenceMs: 40,
    prefixPaddingMs: 0,
    gate: false,
    startStream: (_rate, timestampMs) => {
      starts.push(timestampMs);
      return 320;
    },
    placeBoundary: place,
  });
  const out: Frame[] = [];
  let i = 0;
  for (const frame of chunks.flat()) {
    const windows = tracker.accept(frame);
    const decisions = windows.map(() => ({ start: pattern[i] === 'S', keep: pattern[i++] === 'S' }));
    out.push(...tracker.complete(frame, windows, decisions));
  }
  out.push(...tracker.end());
  expect(starts).toEqual(chunks.map((c) => c[0].timestamp));
  return out.filter((f) => f.kind !== 'audio');
}

describe('VadTracker with placeBoundary', () => {
  it('emits the placed times instead of the window edges, for starts, stops and the stop at the end of the stream', () => {
    const pattern = '..SSS....SS';
    const placed = run(pattern, (e) => e.timestamp + (e.kind === 'speech-start' ? -7 : -13), [frames(pattern, 1000)]);
    expect(placed).toEqual([
      { kind: 'speech-start', timestamp: 1033, source: 'vad' },
      { kind: 'speech-stop', timestamp: 1087, source: 'vad' },
      { kind: 'speech-start', timestamp: 1173, source: 'vad' },
      { kind: 'speech-stop', timestamp: 1207, source: 'vad' },
    ]);
  });

  it('never places an onset before the previous stop, and forgets that stop when the stream restarts', () => {
    const pattern = '.SS..S....SS..';
    const early = (e: SpeechEvent) => (e.kind === 'speech-start' ? e.timestamp - 500 : e.timestamp);
    const chunks = [frames(pattern.slice(0, 10), 0), frames(pattern.slice(10), 100, true)];
    expect(run(pattern, early, chunks).map((f) => [f.kind, f.timestamp])).toEqual([
      ['speech-start', -480],
      ['speech-stop', 60],
      ['speech-start', 60],
      ['speech-stop', 120],
      ['speech-start', -400],
      ['speech-stop', 140],
    ]);
  });
});
