import { defineNode, GraphBuilder, PipelineAbortedError, Registry } from '@beluga-voice/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { probe, testNodes } from './support/test-nodes.js';

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function graph(name: string, failAt?: number, onError?: 'fail' | 'ignore' | 'restart') {
  const b = new GraphBuilder(new Registry(testNodes))
    .node('src', 'test.source', { probe: name, count: 100_000, everyMs: 2 })
    .node('sink', 'test.sink', { probe: name, busyMs: 1 });
  if (failAt === undefined) return b.link('src', 'sink').build();
  return b
    .node('mid', 'test.fail', { at: failAt }, { onError: { policy: onError ?? 'fail', backoffMs: 5, maxRestarts: 2 } })
    .chain('src', 'mid', 'sink')
    .build();
}

describe('lifecycle releases everything', () => {
  it('after stop(): no timer, subscription or control listener is left', async () => {
    const before = timers();
    const p = probe('stop');
    const pipeline = graph('stop').start({ metricsIntervalMs: 20 });
    await pipeline.started;
    await sleep(60);
    expect(p.active).toBe(1);
    await pipeline.stop({ timeoutMs: 500 });
    await pipeline.done;
    expect(pipeline.state).toBe('stopped');
    expect(p.active).toBe(0);
    expect(p.teardowns).toBe(1);
    expect(p.log.slice(-2)).toEqual(['close src', 'close sink']);
    await sleep(5);
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it('after abort(): everything is closed at once and done rejects with the reason', async () => {
    const before = timers();
    const p = probe('abort');
    const pipeline = graph('abort').start();
    await pipeline.started;
    await sleep(30);
    await pipeline.abort('user pressed Ctrl-C twice');
    await expect(pipeline.done).rejects.toThrow(new PipelineAbortedError('user pressed Ctrl-C twice'));
    expect(p.active).toBe(0);
    expect(p.log).not.toContain(`complete@${NaN}`);
    await sleep(5);
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it('after a node error (policy fail): the pipeline fails with the node named and nothing is left', async () => {
    const before = timers();
    const p = probe('fail');
    const pipeline = graph('fail', 5).start();
    const errors: string[] = [];
    pipeline.events$.subscribe((e) => e.type === 'error' && errors.push(`${e.node}: ${e.message} fatal=${e.fatal}`));
    await expect(pipeline.done).rejects.toThrow('node "mid" (test.fail) failed: boom on frame 5');
    expect(errors).toEqual(['mid: node "mid" (test.fail) failed: boom on frame 5 fatal=true']);
    expect(pipeline.state).toBe('failed');
    expect(p.active).toBe(0);
    expect(p.received.map((f) => (f.kind === 'audio' ? f.samples[0] : 0))).toEqual([1, 2, 3, 4]);
    await sleep(5);
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it('policy ignore reports the error, keeps the pipeline running, and still stops cleanly', async () => {
    const p = probe('ignore');
    const pipeline = graph('ignore', 3, 'ignore').start();
    const errors: string[] = [];
    pipeline.events$.subscribe((e) => e.type === 'error' && errors.push(e.message));
    await sleep(40);
    expect(errors).toEqual(['node "mid" (test.fail) failed: boom on frame 3 (ignored)']);
    expect(pipeline.state).toBe('running');
    await pipeline.stop({ timeoutMs: 500 });
    await pipeline.done;
    expect(pipeline.state).toBe('stopped');
    expect(p.active).toBe(0);
  });

  it('policy restart re-creates the node with backoff, then gives up after maxRestarts', async () => {
    const p = probe('restart');
    const pipeline = graph('restart', 3, 'restart').start();
    const states: string[] = [];
    pipeline.events$.subscribe((e) => e.type === 'node-state' && e.node === 'mid' && states.push(e.reason ?? e.state));
    // Frame 3 fails once; the restarted node sees later frames, so it never meets frame 3 again.
    await sleep(80);
    expect(states).toContain('restart 1 of 2 in 5 ms');
    expect(pipeline.state).toBe('running');
    expect(p.received.length).toBeGreaterThan(3);
    await pipeline.stop();
    expect(p.active).toBe(0);
  });

  it('ctx.fail from a sink fails the pipeline like an output error, naming the node', async () => {
    const failingSink = defineNode({
      type: 'test.failing-sink',
      summary: 'fails on its third frame',
      config: z.object({}).strict(),
      inputs: { audio: { kinds: ['audio'], required: true } },
      outputs: {},
      create:
        (_c, ctx) =>
        ({ audio }) => {
          let n = 0;
          const sub = audio.subscribe(() => {
            if (++n === 3) ctx.fail(new Error('disk full'));
          });
          ctx.onClose(() => sub.unsubscribe());
          return {};
        },
    });
    const p = probe('ctx-fail');
    const pipeline = new GraphBuilder(new Registry([...testNodes, failingSink]))
      .node('src', 'test.source', { probe: 'ctx-fail', count: 100, everyMs: 1 })
      .node('out', 'test.failing-sink')
      .link('src', 'out')
      .build()
      .start();
    await expect(pipeline.done).rejects.toThrow('node "out" (test.failing-sink) failed: disk full');
    expect(p.active).toBe(0);
  });
});
