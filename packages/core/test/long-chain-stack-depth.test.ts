import { GraphBuilder, Registry } from '@beluga-voice/core';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { frameValue, probe, testNodes } from './support/test-nodes.js';

/** A source, `hops` pass-through nodes in a line, a sink: every frame crosses them all synchronously. */
async function runChain(name: string, hops: number) {
  const ts = new TestScheduler(() => {});
  ts.maxFrames = Number.POSITIVE_INFINITY;
  const p = probe(name);
  const builder = new GraphBuilder(new Registry(testNodes)).node('src', 'test.source', {
    probe: name,
    count: 20,
    everyMs: 10,
  });
  let prev = 'src';
  for (let i = 0; i < hops; i++) {
    builder.node(`p${i}`, 'test.pass', {}).link(prev, `p${i}`);
    prev = `p${i}`;
  }
  const pipeline = builder
    .node('sink', 'test.sink', { probe: name })
    .link(prev, 'sink')
    .build()
    .start({ scheduler: ts });
  const errors: string[] = [];
  pipeline.events$.subscribe((e) => {
    if (e.type === 'error') errors.push(e.message);
  });
  await pipeline.started;
  ts.flush();
  await pipeline.done;
  return { p, errors, state: pipeline.state };
}

describe('a chain of any length cannot overflow the stack', () => {
  it('3000 pass-through hops deliver every frame, in order', async () => {
    const { p, errors, state } = await runChain('deep', 3000);
    expect(errors).toEqual([]);
    expect(state).toBe('stopped');
    expect(p.received.map(frameValue)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  }, 60_000);

  it('a short chain still delivers each frame synchronously, at the time it left the source', async () => {
    const { p } = await runChain('short', 10);
    const delivered = p.log.filter((l) => l.startsWith('deliver ')).map((l) => l.slice(8).split('@').map(Number));
    expect(delivered.map(([, at]) => at)).toEqual(delivered.map(([value]) => value * 10));
  });
});
