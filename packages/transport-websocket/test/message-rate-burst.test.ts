import { describe, expect, it } from 'vitest';
import { BURST_SECONDS, MessageRate } from '../src/message-rate.js';

describe('a caller’s message rate', () => {
  it('lets a stalled caller catch up with a burst of BURST_SECONDS at the full rate, then refuses', () => {
    let now = 0;
    const rate = new MessageRate(50, () => now);
    const taken = Array.from({ length: 50 * BURST_SECONDS + 1 }, () => rate.take());
    expect(taken.filter(Boolean)).toHaveLength(50 * BURST_SECONDS);
    expect(taken.at(-1)).toBe(false);
    now += 100;
    // 100 ms at 50 a second refills 5 messages, no more.
    expect(Array.from({ length: 6 }, () => rate.take())).toEqual([true, true, true, true, true, false]);
  });

  it('a caller steadily at its rate is never refused', () => {
    let now = 0;
    const rate = new MessageRate(50, () => now);
    for (let i = 0; i < 10_000; i++) {
      now += 20;
      expect(rate.take()).toBe(true);
    }
  });
});
