import { downmixInto, writeUpmixed } from './channel-mix.js';
import type { PolyphaseKernel } from './polyphase-kernel.js';

/**
 * Several channels, each filtered by its own mono kernel (the SIMD kernel needs each channel's
 * samples contiguous): input is down-mixed and split into the lanes, output joined and up-mixed.
 */
export class PlanarKernel implements PolyphaseKernel {
  readonly kind: PolyphaseKernel['kind'];
  /** Interleaved frames of all lanes, and one lane's samples, on their way in or out. */
  private frames = new Float32Array(0);
  private lane = new Float32Array(0);

  constructor(private readonly lanes: readonly PolyphaseKernel[]) {
    this.kind = lanes[0].kind;
  }

  reserve(frames: number, keep: number): void {
    for (const lane of this.lanes) lane.reserve(frames, keep);
  }

  clear(from: number, to: number): void {
    for (const lane of this.lanes) lane.clear(from, to);
  }

  discard(frames: number, held: number): void {
    for (const lane of this.lanes) lane.discard(frames, held);
  }

  load(samples: Int16Array | Float32Array, channels: number, at: number): void {
    const count = samples.length / channels;
    const width = this.lanes.length;
    const frames = this.scratch(count);
    downmixInto(samples, channels, frames, 0, width);
    const lane = this.lane.subarray(0, count);
    for (let c = 0; c < width; c++) {
      for (let f = 0; f < count; f++) lane[f] = frames[f * width + c];
      this.lanes[c].load(lane, 1, at);
    }
  }

  run(newest: number, phase: number, count: number): void {
    for (const lane of this.lanes) lane.run(newest, phase, count);
  }

  store(dst: Int16Array | Float32Array, channels: number, count: number): void {
    const width = this.lanes.length;
    const frames = this.scratch(count);
    const lane = this.lane.subarray(0, count);
    for (let c = 0; c < width; c++) {
      this.lanes[c].store(lane, 1, count);
      for (let f = 0; f < count; f++) frames[f * width + c] = lane[f];
    }
    writeUpmixed(frames, width, dst, channels, count);
  }

  /** The interleaved scratch, grown to hold `count` frames (and the lane scratch with it). */
  private scratch(count: number): Float32Array {
    if (this.lane.length < count) {
      const size = Math.max(count, this.lane.length * 2);
      this.lane = new Float32Array(size);
      this.frames = new Float32Array(size * this.lanes.length);
    }
    return this.frames;
  }
}
