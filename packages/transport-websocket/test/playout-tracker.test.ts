import { describe, expect, it } from 'vitest';
import type { Playout } from '../src/call-connection.js';
import { PlayoutTracker } from '../src/playout-tracker.js';

function tracker() {
  const reports: Playout[] = [];
  return { reports, tracker: new PlayoutTracker((p) => reports.push(p)) };
}

describe('PlayoutTracker: the caller-reported played position of each response', () => {
  it('announces a response at 0 ms when its audio first goes out, reports progress never beyond what was sent, and the final position once it has played', () => {
    const { reports, tracker: t } = tracker();
    t.sent('r1', 100);
    t.sent('r1', 100);
    t.played('r1', 120);
    t.played('r1', 500);
    t.done('r1');
    expect(reports).toEqual([
      { responseId: 'r1', playedMs: 0, final: false },
      { responseId: 'r1', playedMs: 120, final: false },
      { responseId: 'r1', playedMs: 200, final: false },
      { responseId: 'r1', playedMs: 200, final: true },
    ]);
    expect(t.unplayedMs).toBe(0);
  });

  it('a response done before it has played out is final when the caller catches up', () => {
    const { reports, tracker: t } = tracker();
    t.sent('r1', 300);
    t.done('r1');
    t.played('r1', 200);
    t.played('r1', 300);
    expect(reports.map((r) => [r.playedMs, r.final])).toEqual([
      [0, false],
      [200, false],
      [300, true],
    ]);
  });

  it('a clear cuts the playing response at what the caller heard, and late reports of it are ignored', () => {
    const { reports, tracker: t } = tracker();
    t.sent('r1', 1000);
    t.played('r1', 400);
    expect(t.clear()).toEqual({ responseId: 'r1', playedMs: 400, final: true });
    t.played('r1', 900);
    expect(reports.at(-1)).toEqual({ responseId: 'r1', playedMs: 400, final: true });
    expect(t.clear()).toBeUndefined();
  });

  it('ignores reports that go backwards or name a response it never sent', () => {
    const { reports, tracker: t } = tracker();
    t.sent('r1', 500);
    t.played('r1', 300);
    t.played('r1', 200);
    t.played('nope', 100);
    expect(reports).toEqual([
      { responseId: 'r1', playedMs: 0, final: false },
      { responseId: 'r1', playedMs: 300, final: false },
    ]);
    expect(t.unplayedMs).toBe(200);
  });
});
