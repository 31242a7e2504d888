import {
  type AudioFrame,
  type BusEvent,
  defineNode,
  type Frame,
  type GraphBuilder,
  type NodeSpec,
  Registry,
} from '@beluga-voice/core';
import { nodes as coreNodes } from '@beluga-voice/core/nodes';
import { z } from 'zod';
import { nodes } from '../src/nodes.js';
import { fixture } from './audio-helpers.js';

export const collected = new Map<string, Frame[]>();

/** A consumer that takes `busyMs` of wall clock per frame (a slow model, a slow disk), keeping what it got. */
export const collector = defineNode({
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

/** Core and audio nodes, the slow collector, and `extra` node types (another package's VAD). */
export const slowRegistry = (extra: readonly NodeSpec[] = []) =>
  new Registry([...coreNodes, ...nodes, collector, ...extra]);

export async function run(builder: GraphBuilder) {
  const baseDir = fixture('.');
  const graph = builder.build({ baseDir });
  const pipeline = graph.start({ baseDir, metricsIntervalMs: 0 });
  const events: BusEvent[] = [];
  pipeline.events$.subscribe((e) => events.push(e));
  await pipeline.done;
  const stats = Object.fromEntries(pipeline.queueStats().map((s) => [s.link, s]));
  return { graph, events, stats };
}

export const audioOf = (key: string) => (collected.get(key) ?? []).filter((f): f is AudioFrame => f.kind === 'audio');
