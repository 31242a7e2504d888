import type { AudioFormat, AudioFrame, ControlEvent } from '@beluga-voice/core';
import { runNode } from '@beluga-voice/core/testing';
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { reframe } from '../src/reframe.js';
import { audioOf, joinSamples } from './audio-helpers.js';

const PCM16: AudioFormat = { encoding: 'pcm16', sampleRate: 16000, channels: 1 };

/** A ramp cut into chunks of the given sample counts, timestamps contiguous from `startMs`. */
function chunks(format: AudioFormat, sizes: number[], startMs = 0): { frames: AudioFrame[]; all: Int16Array } {
  const total = sizes.reduce((a, b) => a + b, 0);
  const all = Int16Array.from({ length: total * format.channels }, (_, i) => (i % 30000) - 15000);
  const frames: AudioFrame[] = [];
  let at = 0;
  for (const n of sizes) {
    const timestamp = startMs + (at * 1000) / format.sampleRate;
    frames.push({
      kind: 'audio',
      timestamp,
      format,
      samples: all.slice(at * format.channels, (at + n) * format.channels),
    });
    at += n;
  }
  return { frames, all };
}

describe('audio.reframe', () => {
  for (const frameMs of [10, 20, 32, 100]) {
    it(`cuts odd chunk sizes into exact ${frameMs} ms frames with exact timestamps`, async () => {
      const { frames, all } = chunks(PCM16, [7, 333, 1024, 160, 2047, 1, 5000, 999], 1000);
      const h = await runNode(reframe, { config: { frameMs, remainder: 'partial' }, inputs: { audio: frames } });
      const out = audioOf(await h.collect('audio'));
      const size = (16000 * frameMs) / 1000;
      out.slice(0, -1).forEach((f, k) => {
        expect(f.samples.length).toBe(size);
        expect(f.timestamp).toBe(1000 + k * frameMs);
      });
      expect(out.at(-1)?.samples.length).toBe(all.length % size || size);
      expect(joinSamples(out)).toEqual(all);
    });
  }

  it('pads the remainder with silence by default (μ-law silence is 0xFF), or drops it', async () => {
    const mulaw: AudioFormat = { encoding: 'mulaw', sampleRate: 8000, channels: 1 };
    const frames: AudioFrame[] = [
      { kind: 'audio', timestamp: 0, format: mulaw, samples: new Uint8Array(200).fill(0x10) },
    ];
    const padded = audioOf(
      await (await runNode(reframe, { config: { frameMs: 20 }, inputs: { audio: frames } })).collect('audio'),
    );
    expect(padded.map((f) => f.samples.length)).toEqual([160, 160]);
    expect(Array.from(padded[1].samples.subarray(38, 42))).toEqual([0x10, 0x10, 0xff, 0xff]);
    const dropped = await (
      await runNode(reframe, { config: { frameMs: 20, remainder: 'drop' }, inputs: { audio: frames } })
    ).collect('audio');
    expect(dropped).toHaveLength(1);
  });

  it('keeps stereo interleaving and 44.1 kHz frames of 10 ms (441 sample frames)', async () => {
    const stereo: AudioFormat = { encoding: 'pcm16', sampleRate: 44100, channels: 2 };
    const { frames, all } = chunks(stereo, [100, 1000, 2000], 0);
    const out = audioOf(
      await (
        await runNode(reframe, { config: { frameMs: 10, remainder: 'partial' }, inputs: { audio: frames } })
      ).collect('audio'),
    );
    expect(out[0].samples.length).toBe(882);
    expect(out[1].timestamp).toBe(10);
    expect(joinSamples(out)).toEqual(all);
  });

  it('restarts the timeline at a discontinuity: a timestamp jump, a discont flag or a new response', async () => {
    const a = chunks(PCM16, [400], 0).frames[0];
    const b: AudioFrame = { ...a, timestamp: 500 };
    const c: AudioFrame = { ...a, timestamp: 525, responseId: 'r2' };
    const out = audioOf(
      await (await runNode(reframe, { config: { frameMs: 20 }, inputs: { audio: [a, b, c] } })).collect('audio'),
    );
    expect(out.map((f) => [f.timestamp, f.samples.length, f.responseId])).toEqual([
      [0, 320, undefined],
      [20, 320, undefined],
      [500, 320, undefined],
      [520, 320, undefined],
      [525, 320, 'r2'],
      [545, 320, 'r2'],
    ]);
  });

  it('on interrupt, discards (or flushes) what is pending and marks the next frame discont', async () => {
    for (const [onInterrupt, expected] of [
      [
        'discard',
        [
          [0, 320, false],
          [100, 320, true],
        ],
      ],
      [
        'flush',
        [
          [0, 320, false],
          [20, 320, false],
          [100, 320, true],
        ],
      ],
      [
        'keep',
        [
          [0, 320, false],
          [20, 320, false],
          [40, 320, false],
        ],
      ],
    ] as const) {
      const input = new Subject<AudioFrame>();
      const h = await runNode(reframe, { config: { frameMs: 20, onInterrupt }, inputs: { audio: input } });
      const collected = h.collect('audio');
      const first = chunks(PCM16, [400], 0).frames[0];
      input.next(first);
      h.sendControl({ type: 'interrupt', source: 'vad' } satisfies ControlEvent);
      input.next({ ...first, timestamp: onInterrupt === 'keep' ? 25 : 100, samples: first.samples.slice(0, 320) });
      input.complete();
      const out = audioOf(await collected);
      expect(out.map((f) => [f.timestamp, f.samples.length, f.discont === true])).toEqual(expected);
    }
  });
});
