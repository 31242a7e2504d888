import { context, metrics, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import type { BusEmission, NodeContext } from '../src/index.js';
import { TurnTracker } from '../src/provider/turn-tracker.js';

function tracker() {
  const emitted: BusEmission[] = [];
  const ctx = {
    id: 'agent',
    meter: metrics.getMeter('test'),
    tracer: trace.getTracer('test'),
    emit: (e: BusEmission) => emitted.push(e),
  } as unknown as NodeContext;
  const turns = () =>
    emitted.filter((e) => e.type === 'mark' && e.name === 'turn').map((e) => (e as { data: unknown }).data);
  return { turns, tracker: new TurnTracker(ctx, () => context.active()) };
}

describe('a turn whose playout is reported waits for it', () => {
  it('a response that ends before the caller starts playing it (announced at 0 ms) gets its voice-to-voice latency', () => {
    const { tracker: t, turns } = tracker();
    t.userSpeechEnded(1000);
    t.firstAudio('r1', 1300);
    // A transport sink sent the first audio: playout announced at 0 ms, not played yet.
    t.playout('r1', 0, false, 1301);
    // The provider streams faster than real time: generation ends before the caller plays any of it.
    t.responseDone('r1', 'completed');
    expect(turns()).toEqual([]);
    t.playout('r1', 20, false, 1450);
    t.playout('r1', 900, true, 2350);
    expect(turns()).toEqual([
      expect.objectContaining({ responseId: 'r1', status: 'completed', voiceToVoiceMs: 450, playedMs: 900 }),
    ]);
  });

  it('with no playout reporter at all, the turn is reported at response-done as before', () => {
    const { tracker: t, turns } = tracker();
    t.userSpeechEnded(0);
    t.firstAudio('r1', 300);
    t.responseDone('r1', 'completed');
    expect(turns()).toEqual([expect.objectContaining({ responseId: 'r1', providerFirstAudioMs: 300 })]);
  });
});
