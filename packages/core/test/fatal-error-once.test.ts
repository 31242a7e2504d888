import { fileURLToPath } from 'node:url';
import { type BusEvent, GraphBuilder, Registry } from '@beluga-voice/core';
import { nodes as coreNodes } from '@beluga-voice/core/nodes';
import { nodes as audioNodes } from '@beluga-voice/nodes-audio/nodes';
import { describe, expect, it } from 'vitest';

const speech = fileURLToPath(new URL('../../../fixtures/audio/single-utterance-16k.wav', import.meta.url));
const script = [{ reply: [{ error: { message: 'server went away', code: 'server', fatal: true } }] }];

function run(onError: 'fail' | 'restart') {
  const pipeline = new GraphBuilder(new Registry([...coreNodes, ...audioNodes]))
    .node('mic', 'audio.file-source', { path: speech, pace: 'fast' })
    .node(
      'agent',
      'provider.scripted',
      { sampleRate: 16000, latencyMs: 0, realtime: false, script },
      {
        onError: { policy: onError, maxRestarts: 1, backoffMs: 10 },
      },
    )
    .node('out', 'audio.null-sink')
    .chain('mic', 'agent', 'out')
    .build()
    .start({ metricsIntervalMs: 0 });
  const errors: Array<Extract<BusEvent, { type: 'error' }>> = [];
  pipeline.events$.subscribe((e) => e.type === 'error' && errors.push(e));
  return { pipeline, errors };
}

describe('a node failure is reported once on the bus', () => {
  it('a provider that reports its fatal error and errors its outputs: one error event, code kept, same text as done', async () => {
    const { pipeline, errors } = run('fail');
    const failure = await pipeline.done.then(
      () => undefined,
      (e: Error) => e,
    );
    const message = 'node "agent" (provider.scripted) failed: provider.scripted "agent": server went away';
    expect(failure?.message).toBe(message);
    expect(errors).toEqual([expect.objectContaining({ node: 'agent', code: 'server', fatal: true, message })]);
  });

  it('under a restart policy the failure is one non-fatal error (not a fatal one from the node as well)', async () => {
    const { pipeline, errors } = run('restart');
    await pipeline.done.catch(() => undefined);
    // The restarted agent hears no second turn (the file has ended), so it does not fail again.
    expect(errors.map((e) => [e.fatal, e.code, e.message])).toEqual([
      [false, 'server', 'node "agent" (provider.scripted) failed: provider.scripted "agent": server went away'],
    ]);
  });
});
