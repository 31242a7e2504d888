import { type BusEvent, GraphBuilder, Registry } from '@beluga-voice/core';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { frameValue, probe, testNodes } from './support/test-nodes.js';

/** 500 frames of 10 ms arrive every 1 ms (a file read ten times faster than real time); the sink takes 10 ms each. */
async function run(name: string, overflow: 'block' | 'drop-oldest') {
  const ts = new TestScheduler(() => {});
  // The classic scheduler stops at 750 virtual ms by default; this run lasts about 5 s.
  ts.maxFrames = Number.POSITIVE_INFINITY;
  const p = probe(name);
  const pipeline = new GraphBuilder(new Registry(testNodes))
    .node('file', 'test.source', { probe: name, count: 500, everyMs: 1 })
    .node('sink', 'test.sink', { probe: name, busyMs: 10 })
    .link('file', 'sink', { queue: { max: '200ms', overflow } })
    .build()
    .start({ scheduler: ts, metricsIntervalMs: 1000 });
  const events: BusEvent[] = [];
  pipeline.events$.subscribe((e) => events.push(e));
  await pipeline.started;
  ts.flush();
  await pipeline.done;
  return { p, stats: pipeline.queueStats()[0], events };
}

describe('a fast file-like source into a slow sink', () => {
  it('with block, no frame is lost and the queue never exceeds its limit', async () => {
    const { p, stats } = await run('fast-block', 'block');
    expect(p.received.map(frameValue)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    expect(stats.drops).toBe(0);
    expect(stats.maxDepth).toBeLessThanOrEqual(20);
  });

  it('with drop-oldest, latency stays bounded and the drops are reported on the bus', async () => {
    const { p, stats, events } = await run('fast-drop', 'drop-oldest');
    // Each delivered frame left the source at `value` ms; it must not wait longer than the 200 ms queue plus one frame.
    const delivered = p.log.filter((l) => l.startsWith('deliver ')).map((l) => l.slice(8).split('@').map(Number));
    const worstWait = Math.max(...delivered.map(([value, at]) => at - value));
    expect(worstWait).toBeLessThanOrEqual(210);
    expect(stats.drops).toBe(500 - p.received.length);
    expect(stats.drops).toBeGreaterThan(400);
    const dropMetrics = events.filter((e) => e.type === 'metric' && e.name === 'queue.drops');
    expect(dropMetrics.at(-1)).toMatchObject({ value: stats.drops, attributes: { link: 'file.audio->sink.audio' } });
    expect(events.filter((e) => e.type === 'warning').map((e) => (e as { message: string }).message)).toEqual([
      'queue file.audio->sink.audio is full: dropping frames (drop-oldest)',
    ]);
  });
});
