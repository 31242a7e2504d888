import { audioDurationMs, GraphBuilder } from '@beluga-voice/core';
import { describe, expect, it } from 'vitest';
import { joinSamples } from './audio-helpers.js';
import { audioOf, run, slowRegistry } from './slow-consumer.js';

const registry = slowRegistry();

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
});
