import { context, metrics, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import type { BusEmission, NodeContext } from '../src/index.js';
import { TurnTracker } from '../src/provider/turn-tracker.js';
import { SharedClock } from '../src/runtime/shared-clock.js';

const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

/** A clock that has just seen the event loop blocked for `blockedMs`. */
async function clockAfterStall(blockedMs: number): Promise<SharedClock> {
  const clock = new SharedClock();
  const fired = new Promise<void>((resolve) => clock.schedule(() => resolve(), 2));
  busy(blockedMs);
  await fired;
  return clock;
}

describe('an overloaded loop shows beside framework latency', () => {
  it('the shared clock reports how late its last batch ran', async () => {
    const calm = new SharedClock();
    await new Promise<void>((resolve) => calm.schedule(() => resolve(), 2));
    expect(calm.lagMs).toBeLessThan(40);
    expect((await clockAfterStall(80)).lagMs).toBeGreaterThanOrEqual(70);
  });

  it('a turn whose reply was read while the loop lagged reports that lag (turn.loop_lag) beside a small framework latency', async () => {
    const scheduler = await clockAfterStall(80);
    const emitted: BusEmission[] = [];
    const ctx = {
      id: 'agent',
      scheduler,
      meter: metrics.getMeter('test'),
      tracer: trace.getTracer('test'),
      emit: (e: BusEmission) => emitted.push(e),
    } as unknown as NodeContext;
    const t = new TurnTracker(ctx, () => context.active());
    t.userSpeechEnded(1000);
    t.firstAudio('r1', 1300);
    t.playout('r1', 20, false, 1301);
    t.responseDone('r1', 'completed');
    t.playout('r1', 900, true, 2200);
    const metric = (name: string) =>
      emitted.filter((e) => e.type === 'metric' && e.name === name).map((e) => (e as { value: number }).value);
    expect(metric('turn.framework_latency')).toEqual([1]);
    expect(metric('turn.loop_lag')[0]).toBeGreaterThanOrEqual(70);
    const turn = emitted.find((e) => e.type === 'mark' && e.name === 'turn') as { data: Record<string, number> };
    expect(turn.data.frameworkLatencyMs).toBe(1);
    expect(turn.data.loopLagMs).toBeGreaterThanOrEqual(70);
  });
});
