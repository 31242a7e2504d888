import type { Playout } from './call-connection.js';

interface ResponsePlayout {
  sentMs: number;
  playedMs: number;
  done: boolean;
}

/**
 * What was sent of each response against what the caller says it played: reports progress, the
 * final position once a finished response has played out, and the cut position on a clear.
 */
export class PlayoutTracker {
  private readonly responses = new Map<string, ResponsePlayout>();
  private current: string | undefined;

  constructor(private readonly report: (playout: Playout) => void) {}

  sent(responseId: string, ms: number): number {
    const record = this.record(responseId);
    this.current = responseId;
    record.sentMs += ms;
    return record.sentMs;
  }

  played(responseId: string, playedMs: number): void {
    const record = this.responses.get(responseId);
    if (!record) return;
    const position = Math.min(playedMs, record.sentMs);
    if (position <= record.playedMs) return;
    record.playedMs = position;
    this.settle(responseId, record);
  }

  done(responseId: string): void {
    const record = this.responses.get(responseId);
    if (!record) return;
    record.done = true;
    if (record.playedMs >= record.sentMs) this.settle(responseId, record);
  }

  /** The response being played is cut where the caller has heard it to. */
  clear(): Playout | undefined {
    const id = this.current;
    const record = id === undefined ? undefined : this.responses.get(id);
    this.current = undefined;
    if (id === undefined || !record) return undefined;
    this.responses.delete(id);
    const playout = { responseId: id, playedMs: record.playedMs, final: true };
    this.report(playout);
    return playout;
  }

  /** Audio sent but not yet played, over every response. */
  get unplayedMs(): number {
    let total = 0;
    for (const r of this.responses.values()) total += r.sentMs - r.playedMs;
    return total;
  }

  private settle(responseId: string, record: ResponsePlayout): void {
    const final = record.done && record.playedMs >= record.sentMs;
    if (final) {
      this.responses.delete(responseId);
      if (this.current === responseId) this.current = undefined;
    }
    this.report({ responseId, playedMs: record.playedMs, final });
  }

  private record(responseId: string): ResponsePlayout {
    let record = this.responses.get(responseId);
    if (!record) {
      record = { sentMs: 0, playedMs: 0, done: false };
      this.responses.set(responseId, record);
    }
    return record;
  }
}
