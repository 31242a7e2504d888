import { asyncScheduler, interval, take, timer } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { highResolutionScheduler } from '../src/runtime/clock.js';
import { SharedClock } from '../src/runtime/shared-clock.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SharedClock: every timer of every session on one Node timer', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is the default scheduler of every pipeline in the process', () => {
    expect(highResolutionScheduler).toBeInstanceOf(SharedClock);
  });

  it('runs 200 sessions’ 20 ms ticks on one armed Node timer, where rxjs’s async scheduler arms 200', async () => {
    const clock = new SharedClock();
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const setIntervalSpy = vi.spyOn(globalThis, 'setInterval');
    const ticks: number[] = new Array(200).fill(0);
    const subs = ticks.map((_, i) => interval(20, clock).subscribe(() => ticks[i]++));
    // Before the first tick: one timer armed for all 200.
    expect(setTimeoutSpy.mock.calls.length + setIntervalSpy.mock.calls.length).toBe(1);
    await sleep(230);
    for (const s of subs) s.unsubscribe();
    expect(Math.min(...ticks)).toBeGreaterThanOrEqual(5);
    // One wake-up per batch, not one per session per tick.
    expect(setTimeoutSpy.mock.calls.length).toBeLessThan(Math.min(...ticks) * 5);
    expect(setIntervalSpy).not.toHaveBeenCalled();
    expect(clock.pending).toBe(0);

    setIntervalSpy.mockClear();
    const rx = Array.from({ length: 200 }, () => interval(20, asyncScheduler).subscribe());
    expect(setIntervalSpy.mock.calls.length).toBe(200);
    for (const s of rx) s.unsubscribe();
  });

  it('runs work in due order, with state, and re-armed work (rxjs timers) keeps its period', async () => {
    const clock = new SharedClock();
    const order: string[] = [];
    clock.schedule((s) => order.push(`c${s}`), 30, 3);
    clock.schedule((s) => order.push(`a${s}`), 10, 1);
    clock.schedule((s) => order.push(`b${s}`), 20, 2);
    const periodic: number[] = [];
    const start = clock.now();
    timer(0, 15, clock)
      .pipe(take(4))
      .subscribe(() => periodic.push(clock.now() - start));
    await sleep(120);
    expect(order).toEqual(['a1', 'b2', 'c3']);
    expect(periodic).toHaveLength(4);
    // Each tick at least its period after the start (a loaded machine may only make it later).
    for (const [i, t] of periodic.entries()) expect(t).toBeGreaterThanOrEqual(i * 15 - 1.5);
    expect(clock.pending).toBe(0);
  });

  it('runs a large batch in slices, turning the event loop between them (sockets are read between sessions’ ticks)', async () => {
    const clock = new SharedClock();
    const order: string[] = [];
    for (let i = 0; i < 100; i++) {
      clock.schedule(() => {
        if (i === 0) setImmediate(() => order.push('event loop turned'));
        order.push(`tick ${i}`);
      }, 5);
    }
    await sleep(60);
    expect(order.filter((o) => o.startsWith('tick'))).toHaveLength(100);
    const turned = order.indexOf('event loop turned');
    expect(turned).toBeGreaterThan(1);
    expect(turned).toBeLessThan(50);
  });

  it('forgets cancelled work at once (a watchdog reset 50 times a second leaves nothing behind)', () => {
    const clock = new SharedClock();
    const ran: number[] = [];
    for (let i = 0; i < 1000; i++) clock.schedule(() => ran.push(i), 15_000).unsubscribe();
    const kept = clock.schedule(() => ran.push(-1), 15_000);
    expect(clock.pending).toBe(1);
    kept.unsubscribe();
    expect(clock.pending).toBe(0);
    expect(ran).toEqual([]);
  });

  it('work cancelled by earlier work of the same batch does not run; one throwing action does not stop the rest', async () => {
    const clock = new SharedClock();
    const ran: string[] = [];
    const errors: unknown[] = [];
    const onError = (error: unknown) => errors.push(error);
    process.prependListener('uncaughtException', onError);
    const listeners = process.listeners('uncaughtException').filter((l) => l !== onError);
    for (const l of listeners) process.off('uncaughtException', l);
    try {
      // Scheduled in this order with one delay: due within microseconds, they run in one batch.
      let second: { unsubscribe(): void } | undefined;
      clock.schedule(() => {
        ran.push('first');
        second?.unsubscribe();
        throw new Error('session 1 timer failed');
      }, 2);
      second = clock.schedule(() => ran.push('second'), 2);
      clock.schedule(() => ran.push('third'), 2);
      await sleep(40);
    } finally {
      process.off('uncaughtException', onError);
      for (const l of listeners) process.on('uncaughtException', l);
    }
    expect(ran).toEqual(['first', 'third']);
    expect(errors.map((e) => (e as Error).message)).toEqual(['session 1 timer failed']);
  });
});

describe('the shared clock keeps time', () => {
  it('never runs work before its due time (an 800 ms watchdog does not fire at 799.9)', async () => {
    const clock = new SharedClock();
    const early: number[] = [];
    const done = Array.from(
      { length: 200 },
      (_, i) =>
        new Promise<void>((resolve) => {
          const delay = 1 + (i % 7) * 0.37;
          const at = performance.now();
          clock.schedule(() => {
            const waited = performance.now() - at;
            if (waited < delay) early.push(delay - waited);
            resolve();
          }, delay);
        }),
    );
    await Promise.all(done);
    expect(early).toEqual([]);
  });
});
