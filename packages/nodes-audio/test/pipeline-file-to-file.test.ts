import { join } from 'node:path';
import { type BusEvent, GraphBuilder, Registry } from '@beluga-voice/core';
import { afterAll, describe, expect, it } from 'vitest';
import { nodes } from '../src/nodes.js';
import { readWav } from '../src/wav-reader.js';
import { fixture, tempDir } from './audio-helpers.js';

const tmp = tempDir();
afterAll(tmp.remove);

async function run(builder: GraphBuilder) {
  const baseDir = fixture('.');
  const pipeline = builder.build({ baseDir }).start({ baseDir, metricsIntervalMs: 0 });
  const events: BusEvent[] = [];
  pipeline.events$.subscribe((e) => events.push(e));
  await pipeline.done;
  return { events, stats: pipeline.queueStats() };
}

describe('nodes-audio in a running pipeline', () => {
  it('copies a file through a block queue losslessly: the source pauses for the slow sink', async () => {
    const out = join(tmp.dir, 'copy.wav');
    const { events, stats } = await run(
      new GraphBuilder(new Registry(nodes))
        .node('src', 'audio.file-source', { path: 'two-turns-48k-stereo.wav', pace: 'fast' })
        .node('out', 'audio.file-sink', { path: out })
        .link('src', 'out', { queue: { max: 4, overflow: 'block' } }),
    );
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
    expect(stats[0]).toMatchObject({ drops: 0 });
    expect(stats[0].maxDepth).toBeLessThanOrEqual(4);
    const [copy, original] = await Promise.all([readWav(out), readWav(fixture('two-turns-48k-stereo.wav'))]);
    expect(copy.format).toEqual(original.format);
    expect(copy.samples).toEqual(original.samples);
  });

  it('autoConvert inserts the μ-law decoder in front of the recorder, which takes pcm16 only', async () => {
    const out = join(tmp.dir, 'session.wav');
    const { events } = await run(
      new GraphBuilder(new Registry(nodes))
        .node('phone', 'audio.file-source', { path: 'two-turns-8k-mulaw.wav', pace: 'fast' })
        .node('rec', 'audio.recorder', { path: out, align: 'timestamp' })
        .link('phone', 'rec.user', { queue: { max: 8, overflow: 'block' } })
        .withAutoConvert(),
    );
    expect(events.find((e) => e.type === 'converter-inserted')).toMatchObject({ converter: 'audio.mulaw-decode' });
    const session = await readWav(out);
    const phone = await readWav(fixture('two-turns-8k-mulaw.wav'), 'pcm16');
    expect(session.format).toEqual({ encoding: 'pcm16', sampleRate: 8000, channels: 2 });
    const left = (session.samples as Int16Array).filter((_, i) => i % 2 === 0);
    const right = (session.samples as Int16Array).filter((_, i) => i % 2 === 1);
    expect(left).toEqual(phone.samples);
    expect(right.every((v) => v === 0)).toBe(true);
  });
});
