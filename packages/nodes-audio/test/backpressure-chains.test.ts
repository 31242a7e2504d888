import {
  type AudioFrame,
  audioDurationMs,
  type BusEvent,
  defineNode,
  type Frame,
  GraphBuilder,
  Registry,
} from '@beluga-voice/core';
import { nodes as coreNodes } from '@beluga-voice/core/nodes';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { nodes } from '../src/nodes.js';
import { readWav } from '../src/wav-reader.js';
import { fixture, joinSamples } from './audio-helpers.js';

const collected = new Map<string, Frame[]>();

/** A consumer that takes `busyMs` of wall clock per frame (a slow model, a slow disk), keeping what it got. */
const collector = defineNode({
  type: 'test.collector',
  summary: 'Keeps every frame it receives, taking busyMs per audio frame',
  config: z.object({ key: z.string(), busyMs: z.number().nonnegative() }).strict(),
  inputs: { audio: { kinds: ['audio', 'speech-start', 'speech-stop'], required: true } },
  outputs: {},
  create(cfg, ctx) {
    const out: Frame[] = [];
    collected.set(cfg.key, out);
    return ({ audio }) => {
      const keep = (frame: Frame) => {
        out.push(frame);
        if (frame.kind !== 'audio' || cfg.busyMs === 0) return undefined;
        return new Promise<void>((resolve) => setTimeout(resolve, cfg.busyMs));
      };
      const sub = audio.process(keep).subscribe();
      ctx.onClose(() => sub.unsubscribe());
      return {};
    };
  },
});

const registry = new Registry([...coreNodes, ...nodes, collector]);

async function run(builder: GraphBuilder) {
  const baseDir = fixture('.');
  const graph = builder.build({ baseDir });
  const pipeline = graph.start({ baseDir, metricsIntervalMs: 0 });
  const events: BusEvent[] = [];
  pipeline.events$.subscribe((e) => events.push(e));
  await pipeline.done;
  const stats = Object.fromEntries(pipeline.queueStats().map((s) => [s.link, s]));
  return { graph, events, stats };
}

const audioOf = (key: string) => (collected.get(key) ?? []).filter((f): f is AudioFrame => f.kind === 'audio');

describe('backpressure through real audio nodes', () => {
  it('file (fast) -> resample -> block -> slow node: lossless, every queue bounded, same audio as without the slow node', async () => {
    const chain = (key: string, busyMs: number, block: boolean) =>
      new GraphBuilder(registry)
        .node('file', 'audio.file-source', { path: 'two-turns-48k-stereo.wav', pace: 'fast' })
        .node('down', 'audio.resample', { sampleRate: 16000, channels: 1, quality: 'low' })
        .node('slow', 'test.collector', { key, busyMs })
        .link('file', 'down')
        .link('down', 'slow', block ? { queue: { max: '200ms', overflow: 'block' } } : undefined);
    await run(chain('reference', 0, false));
    const { graph, events, stats } = await run(chain('slow', 2, true));
    expect(graph.warnings).toEqual([]);
    expect(events.filter((e) => e.type === 'warning' || e.type === 'error')).toEqual([]);
    expect(stats['file.audio->down.audio']).toMatchObject({ drops: 0 });
    expect(stats['down.audio->slow.audio']).toMatchObject({ drops: 0 });
    // 200 ms downstream (11 frames: the filter's delay makes the first ones shorter than 20 ms);
    // the link before it is held back too, within its default bound of 2 s.
    expect(stats['down.audio->slow.audio'].maxDepth).toBeLessThanOrEqual(11);
    expect(stats['file.audio->down.audio'].bufferedMs).toBe(0);
    expect(stats['file.audio->down.audio'].maxDepth).toBeLessThanOrEqual(100);
    const reference = joinSamples(audioOf('reference'));
    expect(reference.length).toBeGreaterThan(16000 * 9);
    expect(joinSamples(audioOf('slow'))).toEqual(reference);
  });

  it('provider -> block 400 ms -> pace: a build warning names the link, the queue holds 400 ms, every lost ms is counted', async () => {
    const REPLY_MS = 3000;
    const script = [{ reply: [{ tone: { freqHz: 440, ms: REPLY_MS } }] }];
    const { graph, events, stats } = await run(
      new GraphBuilder(registry)
        .node('file', 'audio.file-source', { path: 'single-utterance-16k.wav', pace: 'fast' })
        .node('agent', 'provider.scripted', { sampleRate: 16000, latencyMs: 0, realtime: false, script })
        .node('play', 'audio.pace', { bufferMs: 100 })
        .node('out', 'test.collector', { key: 'paced', busyMs: 0 })
        .link('file', 'agent')
        .link('agent', 'play', { queue: { max: '400ms', overflow: 'block' } })
        .link('play', 'out'),
    );
    expect(graph.warnings.map((w) => w.message)).toEqual([
      'link agent.audio->play.audio: overflow block cannot hold back its producer: "agent" (provider.scripted) emits on its own schedule; at run time the queue keeps its bound (400 ms) by dropping the oldest audio, counted as drops',
    ]);
    const link = stats['agent.audio->play.audio'];
    // The provider's 20 ms chunks: 400 ms is 20 of them.
    expect(link.maxDepth).toBeLessThanOrEqual(20);
    expect(link.drops).toBeGreaterThan(0);
    const played = audioOf('paced').reduce((ms, f) => ms + audioDurationMs(f), 0);
    expect(played + link.droppedMs).toBeCloseTo(REPLY_MS, 6);
    const lost = events.filter((e) => e.type === 'metric' && e.name === 'queue.dropped_ms');
    expect(lost.at(-1)).toMatchObject({ value: link.droppedMs, attributes: { link: 'agent.audio->play.audio' } });
  });

  it('a fast file into Silero VAD and a slow sink with default queues: all the audio and both turns arrive', async () => {
    const { graph, events, stats } = await run(
      new GraphBuilder(registry)
        .node('file', 'audio.file-source', { path: 'two-turns-16k.wav', pace: 'fast' })
        .node('vad', 'audio.vad-silero')
        .node('sink', 'test.collector', { key: 'silero', busyMs: 1 })
        .chain('file', 'vad', 'sink'),
    );
    expect(graph.links.find((l) => l.id === 'file.audio->vad.audio')?.queue.overflow).toBe('block');
    expect(Object.values(stats).map((s) => s.drops)).toEqual([0, 0]);
    expect(events.filter((e) => e.type === 'warning')).toEqual([]);
    const original = await readWav(fixture('two-turns-16k.wav'));
    expect(joinSamples(audioOf('silero'))).toEqual(original.samples);
    // The speech events travel with the audio they mark: one start per turn.
    const starts = (collected.get('silero') ?? []).filter((f) => f.kind === 'speech-start');
    expect(starts.length).toBe(2);
  });
});
