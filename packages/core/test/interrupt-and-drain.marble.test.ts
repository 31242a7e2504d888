import { GraphBuilder, Registry } from '@beluga-voice/core';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { probe, testNodes } from './support/test-nodes.js';

const build = (name: string, count: number, max: number) =>
  new GraphBuilder(new Registry(testNodes))
    .node('src', 'test.source', { probe: name, count, everyMs: 10 })
    .node('sink', 'test.sink', { probe: name, busyMs: 30 })
    .link('src', 'sink', { queue: { max, overflow: 'drop-oldest' } })
    .build();

describe('out-of-band control and drain order (TestScheduler)', () => {
  it('an interrupt reaches the sink ahead of queued audio and flushes it', async () => {
    const ts = new TestScheduler(() => {});
    const p = probe('interrupt');
    const pipeline = build('interrupt', 8, 10).start({ scheduler: ts, metricsIntervalMs: 0 });
    await pipeline.started;
    ts.schedule(() => pipeline.control({ type: 'interrupt', source: 'src' }), 55);
    ts.flush();
    await pipeline.done;
    // Frames 3, 4 and 5 were queued behind the busy sink at 55 ms: flushed, never played.
    expect(p.log).toEqual([
      'deliver 1@10',
      'deliver 2@40',
      'control interrupt@55',
      'deliver 6@70',
      'deliver 7@100',
      'deliver 8@130',
      'complete@160',
      'close src',
      'close sink',
    ]);
    expect(pipeline.queueStats()[0]).toMatchObject({ flushed: 3, drops: 0 });
  });

  it('stop() ends sources first, drains the queue, then closes the nodes', async () => {
    const ts = new TestScheduler(() => {});
    const p = probe('drain');
    const pipeline = build('drain', 100, 3).start({ scheduler: ts, metricsIntervalMs: 0 });
    const states: string[] = [];
    pipeline.events$.subscribe((e) => e.type === 'pipeline-state' && states.push(`${e.state}@${e.time}`));
    await pipeline.started;
    ts.schedule(() => void pipeline.stop({ timeoutMs: 1000 }), 65);
    ts.flush();
    await pipeline.done;
    expect(p.log).toEqual([
      'deliver 1@10',
      'deliver 2@40',
      'deliver 4@70',
      'deliver 5@100',
      'deliver 6@130',
      'complete@160',
      'close src',
      'close sink',
    ]);
    expect(states).toEqual(['starting@0', 'running@0', 'draining@65', 'stopped@160']);
    expect(p.active).toBe(0);
  });

  it('a drain that outlasts its deadline is cut and reported', async () => {
    const ts = new TestScheduler(() => {});
    const p = probe('deadline');
    const pipeline = build('deadline', 100, 10).start({ scheduler: ts, metricsIntervalMs: 0 });
    const warnings: string[] = [];
    pipeline.events$.subscribe((e) => e.type === 'warning' && warnings.push(e.message));
    await pipeline.started;
    ts.schedule(() => void pipeline.stop({ timeoutMs: 50 }), 100);
    ts.flush();
    await pipeline.done;
    expect(warnings).toEqual(['queues did not drain within 50 ms (still running: sink); closing now']);
    expect(p.log.at(-1)).toBe('close sink');
    expect(p.active).toBe(0);
  });
});
