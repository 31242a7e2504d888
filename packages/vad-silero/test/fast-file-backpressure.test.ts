import { GraphBuilder } from '@beluga-voice/core';
import { describe, expect, it } from 'vitest';
import { readWav } from '../../nodes-audio/src/wav-reader.js';
import { fixture, joinSamples } from '../../nodes-audio/test/audio-helpers.js';
import { audioOf, collected, run, slowRegistry } from '../../nodes-audio/test/slow-consumer.js';
import { nodes } from '../src/nodes.js';

const registry = slowRegistry(nodes);

describe('Silero VAD passes demand upstream', () => {
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
