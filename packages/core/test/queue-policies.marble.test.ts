import { GraphBuilder, type OverflowPolicy, PipelineError, Registry } from '@beluga-voice/core';
import { Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { probe, testNodes } from './support/test-nodes.js';

/**
 * Classic TestScheduler marbles: one character is 10 ms. Source: a frame every 10 ms; sink: 30 ms
 * per frame; link: 2 frames. When the sink finishes a frame at the same instant a new one arrives,
 * the sink's timer (scheduled first) runs first.
 */
async function runPolicy(name: string, overflow: OverflowPolicy, expected: string) {
  const ts = new TestScheduler((actual, wanted) => expect(actual).toEqual(wanted));
  const p = probe(name);
  p.sink$ = new Subject<string>();
  const graph = new GraphBuilder(new Registry(testNodes))
    .node('src', 'test.source', { probe: name, count: 8, everyMs: 10 })
    .node('sink', 'test.sink', { probe: name, busyMs: 30 })
    .link('src', 'sink', { queue: { max: 2, overflow } })
    .build();
  ts.expectObservable(p.sink$).toBe(expected);
  const pipeline = graph.start({ scheduler: ts, metricsIntervalMs: 0 });
  await pipeline.started;
  ts.flush();
  await pipeline.done.catch(() => {});
  return { pipeline, p };
}

describe('link queue policies (marble)', () => {
  it('drop-oldest keeps the newest frames and counts the drops', async () => {
    const { pipeline } = await runPolicy('drop-oldest', 'drop-oldest', '-a--b--e--g--h--|');
    expect(pipeline.queueStats()[0]).toMatchObject({ drops: 3, maxDepth: 2 });
  });

  it('drop-newest keeps the oldest frames and counts the drops', async () => {
    const { pipeline } = await runPolicy('drop-newest', 'drop-newest', '-a--b--c--d--g--|');
    expect(pipeline.queueStats()[0]).toMatchObject({ drops: 3, maxDepth: 2 });
  });

  it('block pauses the source: every frame arrives, the queue never exceeds its limit', async () => {
    const { pipeline, p } = await runPolicy('block', 'block', '-a--b--c--d--e--f--g--h--|');
    expect(pipeline.queueStats()[0]).toMatchObject({ drops: 0, maxDepth: 2 });
    expect(p.log.some((l) => l.startsWith('pause@'))).toBe(true);
    expect(p.log.some((l) => l.startsWith('resume@'))).toBe(true);
  });

  it('error fails the pipeline with a message naming the link and the limit', async () => {
    const ts = new TestScheduler(() => {});
    const p = probe('error');
    const graph = new GraphBuilder(new Registry(testNodes))
      .node('src', 'test.source', { probe: 'error', count: 8, everyMs: 10 })
      .node('sink', 'test.sink', { probe: 'error', busyMs: 30 })
      .link('src', 'sink', { queue: { max: 2, overflow: 'error' } })
      .build();
    const pipeline = graph.start({ scheduler: ts, metricsIntervalMs: 0 });
    const errors: string[] = [];
    pipeline.events$.subscribe((e) => e.type === 'error' && errors.push(e.message));
    await pipeline.started;
    ts.flush();
    await expect(pipeline.done).rejects.toThrow(PipelineError);
    await expect(pipeline.done).rejects.toThrow(
      'queue src.audio->sink.audio overflowed (max 2 frames, overflow: error)',
    );
    expect(errors).toEqual(['queue src.audio->sink.audio overflowed (max 2 frames, overflow: error)']);
    expect(p.active).toBe(0);
  });

  it('limits in milliseconds of audio count audio duration, not frames', async () => {
    // 10 ms frames and a 20 ms limit behave like a 2-frame limit.
    const ts = new TestScheduler((actual, wanted) => expect(actual).toEqual(wanted));
    const p = probe('ms');
    p.sink$ = new Subject<string>();
    const graph = new GraphBuilder(new Registry(testNodes))
      .node('src', 'test.source', { probe: 'ms', count: 8, everyMs: 10 })
      .node('sink', 'test.sink', { probe: 'ms', busyMs: 30 })
      .link('src', 'sink', { queue: { max: '20ms', overflow: 'drop-oldest' } })
      .build();
    ts.expectObservable(p.sink$).toBe('-a--b--e--g--h--|');
    const pipeline = graph.start({ scheduler: ts, metricsIntervalMs: 0 });
    await pipeline.started;
    ts.flush();
    await pipeline.done;
    expect(pipeline.queueStats()[0].drops).toBe(3);
  });
});
