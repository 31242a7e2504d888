interface Chunk {
  readonly startMs: number;
  readonly samples: Int16Array;
}

/**
 * Keeps the last `maxMs` of mono pcm16 input with its media timestamps, so a stub can play back
 * (or measure) what the user said between two instants. Bounded: older audio is dropped.
 */
export class TurnRecorder {
  private chunks: Chunk[] = [];
  private heldMs = 0;

  constructor(
    private readonly sampleRate: number,
    private readonly maxMs: number,
  ) {}

  push(samples: Int16Array, timestampMs: number): void {
    this.chunks.push({ startMs: timestampMs, samples: samples.slice() });
    this.heldMs += this.durationMs(samples.length);
    while (this.chunks.length > 1 && this.heldMs - this.durationMs(this.chunks[0].samples.length) >= this.maxMs) {
      const dropped = this.chunks.shift() as Chunk;
      this.heldMs -= this.durationMs(dropped.samples.length);
    }
  }

  /** Media time of the oldest sample held, or `undefined` when empty. */
  get firstMs(): number | undefined {
    return this.chunks[0]?.startMs;
  }

  /** The samples between `fromMs` and `toMs`, then forgets everything before `toMs`. */
  take(fromMs: number, toMs: number): Int16Array {
    const parts: Int16Array[] = [];
    let length = 0;
    for (const chunk of this.chunks) {
      const first = Math.max(0, Math.round(((fromMs - chunk.startMs) * this.sampleRate) / 1000));
      const end = Math.min(chunk.samples.length, Math.round(((toMs - chunk.startMs) * this.sampleRate) / 1000));
      if (end > first) {
        parts.push(chunk.samples.subarray(first, end));
        length += end - first;
      }
    }
    const out = new Int16Array(length);
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    this.chunks = this.chunks.filter((c) => c.startMs + this.durationMs(c.samples.length) > toMs);
    this.heldMs = this.chunks.reduce((ms, c) => ms + this.durationMs(c.samples.length), 0);
    return out;
  }

  private durationMs(samples: number): number {
    return (samples / this.sampleRate) * 1000;
  }
}
