import { type BusEvent, GraphBuilder, type QueueSettings, Registry } from '@beluga-voice/core';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { frameValue, probe, testNodes } from './support/test-nodes.js';

const registry = new Registry(testNodes);
const FRAMES = 500;
const BLOCK_200MS: QueueSettings = { max: '200ms', overflow: 'block' };

/**
 * Runs a graph on virtual time: the producer offers a 10 ms frame every 1 ms (ten times real time),
 * the sink takes 10 ms per frame, so 4.5 s of audio pile up unless demand holds the producer back.
 */
async function run(name: string, build: (b: GraphBuilder) => GraphBuilder) {
  const ts = new TestScheduler(() => {});
  ts.maxFrames = Number.POSITIVE_INFINITY;
  const p = probe(name);
  const graph = build(new GraphBuilder(registry).node('sink', 'test.sink', { probe: name, busyMs: 10 })).build();
  const pipeline = graph.start({ scheduler: ts, metricsIntervalMs: 0 });
  const events: BusEvent[] = [];
  pipeline.events$.subscribe((e) => events.push(e));
  await pipeline.started;
  ts.flush();
  await pipeline.done;
  const stats = Object.fromEntries(pipeline.queueStats().map((s) => [s.link, s]));
  const warnings = events.flatMap((e) => (e.type === 'warning' ? [e.message] : []));
  return { graph, p, stats, events, warnings };
}

const everyFrame = Array.from({ length: FRAMES }, (_, i) => i + 1);

describe('block propagates demand (marble)', () => {
  it('through a pass-through node: source -> pass -> block -> slow sink loses nothing, and every queue stays bounded', async () => {
    const { graph, p, stats, warnings } = await run('through-pass', (b) =>
      b
        .node('src', 'test.source', { probe: 'through-pass', count: FRAMES, everyMs: 1 })
        .node('pass', 'test.pass')
        .link('src', 'pass')
        .link('pass', 'sink', { queue: BLOCK_200MS }),
    );
    expect(graph.warnings).toEqual([]);
    expect(p.received.map(frameValue)).toEqual(everyFrame);
    expect(stats['src.audio->pass.audio']).toMatchObject({ drops: 0 });
    expect(stats['pass.audio->sink.audio']).toMatchObject({ drops: 0 });
    // 200 ms of 10 ms frames; the upstream link keeps its default bound (2 s) and is held back too.
    expect(stats['pass.audio->sink.audio'].maxDepth).toBeLessThanOrEqual(20);
    expect(stats['src.audio->pass.audio'].maxDepth).toBeLessThanOrEqual(200);
    expect(warnings).toEqual([]);
  });

  it('a pausable source into a slow node with default queues is lossless (the link defaults to block)', async () => {
    const { graph, p, stats } = await run('default-lossless', (b) =>
      b.node('src', 'test.source', { probe: 'default-lossless', count: FRAMES, everyMs: 1 }).link('src', 'sink'),
    );
    expect(graph.links[0].queue).toMatchObject({ overflow: 'block', maxMs: 2000 });
    expect(p.received.map(frameValue)).toEqual(everyFrame);
    expect(stats['src.audio->sink.audio']).toMatchObject({ drops: 0, droppedMs: 0 });
  });

  it('after a producer that cannot pause: a build warning names the link, and the bound holds at run time with counted drops', async () => {
    const { graph, p, stats, warnings, events } = await run('unpausable', (b) =>
      b
        .node('agent', 'test.ticker', { probe: 'unpausable', count: FRAMES, everyMs: 1 })
        .node('pass', 'test.pass')
        .link('agent', 'pass')
        .link('pass', 'sink', { queue: BLOCK_200MS }),
    );
    const message =
      'link pass.audio->sink.audio: overflow block cannot hold back its producer: "pass" (test.pass) passes demand to "agent" (test.ticker) emits on its own schedule; at run time the queue keeps its bound (200 ms) by dropping the oldest audio, counted as drops';
    expect(graph.warnings).toEqual([expect.objectContaining({ code: 'block-cannot-pause', message })]);
    expect(warnings[0]).toBe(`${message} (${graph.warnings[0].fix})`);
    expect(warnings).toContain(
      'queue pass.audio->sink.audio is full (200 ms) and its producer cannot pause: dropping the oldest audio to hold the bound (block)',
    );
    const link = stats['pass.audio->sink.audio'];
    expect(link.maxDepth).toBeLessThanOrEqual(20);
    expect(link.drops).toBe(FRAMES - p.received.length);
    expect(link.drops).toBeGreaterThan(400);
    expect(link.droppedMs).toBe(link.drops * 10);
    // The link from the ticker is default drop-oldest and never filled: the loss is where it was declared.
    expect(stats['agent.audio->pass.audio']).toMatchObject({ drops: 0 });
    const dropped = events.filter((e) => e.type === 'metric' && e.name === 'queue.dropped_ms');
    expect(dropped.at(-1)).toMatchObject({
      value: link.droppedMs,
      unit: 'ms',
      attributes: { link: 'pass.audio->sink.audio', policy: 'block' },
    });
  });

  it('an explicit drop-oldest upstream of a block link: the warning says which input does not block', async () => {
    const { graph } = await run('explicit-drop', (b) =>
      b
        .node('src', 'test.source', { probe: 'explicit-drop', count: 10, everyMs: 1 })
        .node('pass', 'test.pass')
        .link('src', 'pass', { queue: { overflow: 'drop-oldest' } })
        .link('pass', 'sink', { queue: BLOCK_200MS }),
    );
    expect(graph.warnings.map((w) => w.message)).toEqual([
      'link pass.audio->sink.audio: overflow block cannot hold back its producer: "pass" (test.pass) passes demand, but its input src.audio->pass.audio is drop-oldest, not block; at run time the queue keeps its bound (200 ms) by dropping the oldest audio, counted as drops',
    ]);
  });

  it('a producer that declares it pauses but does not is held at twice the bound, loudly', async () => {
    const { graph, stats, warnings } = await run('deaf', (b) =>
      b
        .node('src', 'test.deaf-source', { probe: 'deaf', count: FRAMES, everyMs: 1 })
        .link('src', 'sink', { queue: BLOCK_200MS }),
    );
    expect(graph.warnings).toEqual([]);
    const link = stats['src.audio->sink.audio'];
    expect(link.maxDepth).toBeLessThanOrEqual(40);
    expect(link.drops).toBeGreaterThan(400);
    expect(warnings).toEqual([
      'queue src.audio->sink.audio is twice over its bound (200 ms): its producer did not pause; dropping the oldest audio (block)',
    ]);
  });
});
