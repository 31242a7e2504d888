/**
 * Lays two mono streams side by side on one timeline (channel 0 left, 1 right), filling gaps with
 * silence, and hands back interleaved stereo as soon as both channels have reached a point. A
 * channel that lags the other by more than `maxLagFrames` is taken as silent, which bounds memory.
 */
export class StereoTimeline {
  private readonly buffers: [Int16Array, Int16Array] = [new Int16Array(4096), new Int16Array(4096)];
  private readonly lengths: [number, number] = [0, 0];
  /** Sample frames already handed out. */
  private written = 0;

  constructor(private readonly maxLagFrames: number) {}

  /** Where channel `channel` ends (sample frames from the start). */
  cursor(channel: 0 | 1): number {
    return this.written + this.lengths[channel];
  }

  /**
   * Places `samples` on `channel` at `position` (sample frames from the start), or right after the
   * channel's previous audio if that is later: audio is never overwritten or reordered.
   */
  place(channel: 0 | 1, position: number, samples: Int16Array): Int16Array | undefined {
    const start = Math.max(position, this.cursor(channel));
    const offset = start - this.written;
    const end = offset + samples.length;
    const buffer = this.reserve(channel, end);
    buffer.fill(0, this.lengths[channel], offset);
    buffer.set(samples, offset);
    this.lengths[channel] = end;
    return this.commit(false);
  }

  /** Everything left, the shorter channel padded with silence. */
  finish(): Int16Array | undefined {
    return this.commit(true);
  }

  private reserve(channel: 0 | 1, length: number): Int16Array {
    let buffer = this.buffers[channel];
    if (buffer.length < length) {
      const grown = new Int16Array(Math.max(length, buffer.length * 2));
      grown.set(buffer.subarray(0, this.lengths[channel]));
      this.buffers[channel] = buffer = grown;
    }
    return buffer;
  }

  private commit(all: boolean): Int16Array | undefined {
    const [a, b] = this.lengths;
    const lead = Math.max(a, b);
    const n = all ? lead : Math.min(Math.max(a, lead - this.maxLagFrames), Math.max(b, lead - this.maxLagFrames));
    if (n <= 0) return undefined;
    const out = new Int16Array(n * 2);
    for (const channel of [0, 1] as const) {
      const buffer = this.buffers[channel];
      const have = Math.min(n, this.lengths[channel]);
      for (let i = 0; i < have; i++) out[i * 2 + channel] = buffer[i];
      buffer.copyWithin(0, have, this.lengths[channel]);
      this.lengths[channel] -= have;
    }
    this.written += n;
    return out;
  }
}
