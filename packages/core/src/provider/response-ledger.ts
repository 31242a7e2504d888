/** What the node knows about one response: how much audio went out and how much was played. */
export interface ResponseRecord {
  readonly id: string;
  readonly startedAt: number;
  active: boolean;
  /** Milliseconds of audio passed downstream. */
  receivedMs: number;
  /** Latest position reported by the pacer, if any reported. */
  playedMs: number | undefined;
  /** The pacer reported the final position: nothing of it is playing any more. */
  playoutFinal: boolean;
  interrupted: boolean;
  firstAudioAt: number | undefined;
}

const KEPT = 16;

/** Per-response bookkeeping for barge-in; keeps only the most recent responses. */
export class ResponseLedger {
  private readonly records = new Map<string, ResponseRecord>();

  start(id: string, now: number): ResponseRecord {
    const record: ResponseRecord = {
      id,
      startedAt: now,
      active: true,
      receivedMs: 0,
      playedMs: undefined,
      playoutFinal: false,
      interrupted: false,
      firstAudioAt: undefined,
    };
    this.records.delete(id);
    this.records.set(id, record);
    if (this.records.size > KEPT) this.records.delete(this.records.keys().next().value as string);
    return record;
  }

  get(id: string): ResponseRecord | undefined {
    return this.records.get(id);
  }

  /** The record of `id`, started implicitly for audio that came without a response-start. */
  ensure(id: string, now: number): ResponseRecord {
    return this.records.get(id) ?? this.start(id, now);
  }

  playout(id: string, playedMs: number, final: boolean): void {
    const record = this.records.get(id);
    if (!record) return;
    record.playedMs = playedMs;
    if (final) record.playoutFinal = true;
  }

  /** The newest response a barge-in must stop: still generating, or with audio not yet played. */
  interruptible(): ResponseRecord | undefined {
    for (const record of [...this.records.values()].reverse()) {
      if (record.interrupted) continue;
      const playing = record.playedMs !== undefined && !record.playoutFinal && record.receivedMs > record.playedMs;
      if (record.active || playing) return record;
    }
    return undefined;
  }

  get anyActive(): boolean {
    for (const record of this.records.values()) if (record.active) return true;
    return false;
  }
}
