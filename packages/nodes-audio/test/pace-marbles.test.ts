import type { AudioFormat, AudioFrame, ControlEvent, ResponseDoneFrame } from '@beluga-voice/core';
import { runNode } from '@beluga-voice/core/testing';
import { defer, EMPTY, filter, map, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { pace } from '../src/pace.js';
import { audioOf } from './audio-helpers.js';

const PCM16: AudioFormat = { encoding: 'pcm16', sampleRate: 16000, channels: 1 };

/** A 20 ms frame of response `responseId`; `timestamp` tells frames apart. */
const frame = (responseId: string, timestamp: number): AudioFrame => ({
  kind: 'audio',
  timestamp,
  format: PCM16,
  samples: new Int16Array(320),
  responseId,
});

const label = (f: AudioFrame) => `${f.responseId}@${f.timestamp}${f.discont ? '!' : ''}`;
const playout = (e: ControlEvent) =>
  e.type === 'playout' ? `${e.responseId}:${e.playedMs}${e.final ? ' final' : ''}` : e.type;

interface Setup {
  readonly scheduler: TestScheduler;
  setInput(source: Observable<AudioFrame>, responses?: Observable<ResponseDoneFrame>): void;
  readonly h: Awaited<ReturnType<typeof runNode>>;
}

async function setup(config: Record<string, unknown> = {}): Promise<Setup> {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  let source: Observable<AudioFrame> = EMPTY;
  let done: Observable<ResponseDoneFrame> = EMPTY;
  const h = await runNode(pace, {
    config: { overflow: 'drop-oldest', ...config },
    inputs: { audio: defer(() => source), responses: defer(() => done) },
    scheduler,
  });
  return {
    scheduler,
    h,
    setInput: (s, r) => {
      source = s;
      done = r ?? EMPTY;
    },
  };
}

const played = (h: Setup['h']) =>
  h.ctx.control.events$.pipe(
    filter((e) => e.type === 'playout'),
    map(playout),
  );

describe('audio.pace (marbles, 1 char = 1 ms)', () => {
  it('emits a burst one frame per 20 ms and reports the ms played of the response', async () => {
    const { scheduler, h, setInput } = await setup();
    scheduler.run(({ cold, expectObservable }) => {
      setInput(cold('(abc|)', { a: frame('r1', 0), b: frame('r1', 20), c: frame('r1', 40) }));
      expectObservable(h.outputs.audio!.pipe(map((f) => label(f as AudioFrame)))).toBe('a 19ms b 19ms c 19ms |', {
        a: 'r1@0',
        b: 'r1@20',
        c: 'r1@40',
      });
      expectObservable(played(h), '^ 100ms !').toBe('a 19ms b 19ms c 19ms d', {
        a: 'r1:20',
        b: 'r1:40',
        c: 'r1:60',
        d: 'r1:60 final',
      });
    });
  });

  it('flushes at once on interrupt: final played position, later frames of that response dropped, discont on the next', async () => {
    const { scheduler, h, setInput } = await setup();
    scheduler.run(({ cold, expectObservable }) => {
      setInput(
        cold('(abcd) 29ms e f 20ms |', {
          a: frame('r1', 0),
          b: frame('r1', 20),
          c: frame('r1', 40),
          d: frame('r1', 60),
          e: frame('r2', 0),
          f: frame('r1', 80),
        }),
      );
      scheduler.schedule(() => h.sendControl({ type: 'interrupt', source: 'vad' }), 30);
      expectObservable(h.outputs.audio!.pipe(map((f) => label(f as AudioFrame)))).toBe('a 19ms b 14ms e 21ms |', {
        a: 'r1@0',
        b: 'r1@20',
        e: 'r2@0!',
      });
      expectObservable(played(h), '^ 100ms !').toBe('a 19ms b 9ms c 4ms e 21ms f', {
        a: 'r1:20',
        b: 'r1:40',
        c: 'r1:40 final',
        e: 'r2:20',
        f: 'r2:20 final',
      });
    });
  });

  it('reports the final position as soon as a finished response (response-done) has played', async () => {
    const { scheduler, h, setInput } = await setup();
    scheduler.run(({ cold, expectObservable }) => {
      const done: ResponseDoneFrame = { kind: 'response-done', timestamp: 0, responseId: 'r1', status: 'completed' };
      setInput(
        cold('(ab) 98ms c|', { a: frame('r1', 0), b: frame('r1', 20), c: frame('r2', 0) }),
        cold('-d', { d: done }),
      );
      expectObservable(h.outputs.audio!.pipe(map((f) => label(f as AudioFrame)))).toBe('a 19ms b 81ms c 19ms |', {
        a: 'r1@0',
        b: 'r1@20',
        c: 'r2@0',
      });
      expectObservable(played(h), '^ 150ms !').toBe('a 19ms (bc) 78ms d 19ms e', {
        a: 'r1:20',
        b: 'r1:40',
        c: 'r1:40 final',
        d: 'r2:20',
        e: 'r2:20 final',
      });
    });
  });

  it('holds on pause and goes on from where it was on resume', async () => {
    const { scheduler, h, setInput } = await setup();
    scheduler.run(({ cold, expectObservable }) => {
      setInput(cold('(abc|)', { a: frame('r1', 0), b: frame('r1', 20), c: frame('r1', 40) }));
      scheduler.schedule(() => h.sendControl({ type: 'pause', source: 'vad' }), 10);
      scheduler.schedule(() => h.sendControl({ type: 'resume', source: 'vad' }), 50);
      expectObservable(h.outputs.audio!.pipe(map((f) => label(f as AudioFrame)))).toBe('a 49ms b 19ms c 19ms |', {
        a: 'r1@0',
        b: 'r1@20',
        c: 'r1@40',
      });
    });
  });

  it('drops the oldest frames beyond bufferMs, reports it, and marks the jump discont', async () => {
    const { scheduler, h, setInput } = await setup({ bufferMs: 40 });
    scheduler.run(({ cold, expectObservable }) => {
      setInput(
        cold('(abcde|)', {
          a: frame('r1', 0),
          b: frame('r1', 20),
          c: frame('r1', 40),
          d: frame('r1', 60),
          e: frame('r1', 80),
        }),
      );
      // The idle player plays `a` at once; b and c are then dropped to keep 40 ms buffered.
      expectObservable(h.outputs.audio!.pipe(map((f) => label(f as AudioFrame)))).toBe('a 19ms d 19ms e 19ms |', {
        a: 'r1@0',
        d: 'r1@60!',
        e: 'r1@80',
      });
    });
    const warning = {
      code: 'pace-overflow',
      message: 'dropped 20 ms of audio (1 frames): more than bufferMs (40 ms) buffered',
    };
    expect(h.events.filter((e) => e.type === 'warning')).toMatchObject([warning, warning]);
    expect(h.events.filter((e) => e.type === 'metric').map((e) => (e.type === 'metric' ? e.value : 0))).toEqual([
      20, 20,
    ]);
  });
});

describe('audio.pace with overflow: block (wall clock)', () => {
  it('loses nothing: frames beyond bufferMs wait in the link queue, and playback keeps pace', async () => {
    const frames = Array.from({ length: 10 }, (_, k) => frame('r1', k * 20));
    const h = await runNode(pace, { config: { bufferMs: 40 }, inputs: { audio: frames } });
    const start = performance.now();
    const out = audioOf(await h.collect('audio'));
    const elapsed = performance.now() - start;
    expect(out.map((f) => f.timestamp)).toEqual(frames.map((f) => f.timestamp));
    expect(out.some((f) => f.discont)).toBe(false);
    expect(elapsed).toBeGreaterThanOrEqual(195);
    expect(h.control.filter((e) => e.type === 'playout').at(-1)).toMatchObject({
      responseId: 'r1',
      playedMs: 200,
      final: true,
    });
  });
});
