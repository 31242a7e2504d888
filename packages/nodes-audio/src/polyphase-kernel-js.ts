import { downmixInto, writeUpmixed } from './channel-mix.js';
import type { PolyphaseBank } from './polyphase-filter.js';
import type { PolyphaseKernel } from './polyphase-kernel.js';

const INITIAL_FRAMES = 1024;

/** Input and output arrays that grow to the largest chunk seen and are then reused. */
abstract class GrowingKernel implements PolyphaseKernel {
  readonly kind = 'js';
  protected input: Float32Array;
  protected output: Float32Array;

  constructor(
    protected readonly bank: PolyphaseBank,
    protected readonly channels: number,
  ) {
    this.input = new Float32Array((bank.taps - 1 + INITIAL_FRAMES) * channels);
    this.output = new Float32Array(INITIAL_FRAMES * channels);
  }

  reserve(frames: number, keep: number): void {
    const needed = frames * this.channels;
    if (needed <= this.input.length) return;
    const grown = new Float32Array(Math.max(needed, this.input.length * 2));
    grown.set(this.input.subarray(0, keep * this.channels));
    this.input = grown;
  }

  clear(from: number, to: number): void {
    this.input.fill(0, from * this.channels, to * this.channels);
  }

  discard(frames: number, held: number): void {
    this.input.copyWithin(0, frames * this.channels, held * this.channels);
  }

  load(samples: Int16Array | Float32Array, channels: number, at: number): void {
    downmixInto(samples, channels, this.input, at, this.channels);
  }

  store(dst: Int16Array | Float32Array, channels: number, count: number): void {
    writeUpmixed(this.output, this.channels, dst, channels, count);
  }

  run(newest: number, phase: number, count: number): void {
    if (this.output.length < count * this.channels) {
      this.output = new Float32Array(Math.max(count * this.channels, this.output.length * 2));
    }
    this.compute(newest, phase, count);
  }

  protected abstract compute(newest: number, phase: number, count: number): void;
}

/** One channel: the scalar fallback of the WebAssembly kernel. */
export class MonoKernel extends GrowingKernel {
  constructor(bank: PolyphaseBank) {
    super(bank, 1);
  }

  protected compute(newest: number, phase: number, count: number): void {
    const { up, down, taps, coefficients } = this.bank;
    const stepWhole = Math.floor(down / up);
    const stepFrac = down % up;
    const buf = this.input;
    const out = this.output;
    for (let n = 0; n < count; n++) {
      const c0 = phase * taps;
      const x0 = newest - taps + 1;
      // Four accumulators break the dependency chain of a single running sum.
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      for (let t = 0; t < taps; t += 4) {
        a0 += coefficients[c0 + t] * buf[x0 + t];
        a1 += coefficients[c0 + t + 1] * buf[x0 + t + 1];
        a2 += coefficients[c0 + t + 2] * buf[x0 + t + 2];
        a3 += coefficients[c0 + t + 3] * buf[x0 + t + 3];
      }
      out[n] = a0 + a1 + (a2 + a3);
      phase += stepFrac;
      newest += stepWhole;
      if (phase >= up) {
        phase -= up;
        newest++;
      }
    }
  }
}

/** Any number of interleaved channels; the identity bank (same rates) only copies. */
export class InterleavedKernel extends GrowingKernel {
  protected compute(newest: number, phase: number, count: number): void {
    const { up, down, taps, coefficients } = this.bank;
    const work = this.channels;
    const buf = this.input;
    const out = this.output;
    if (taps === 1) {
      out.set(buf.subarray(newest * work, (newest + count) * work));
      return;
    }
    const stepWhole = Math.floor(down / up);
    const stepFrac = down % up;
    for (let n = 0; n < count; n++) {
      const c0 = phase * taps;
      const x0 = (newest - taps + 1) * work;
      for (let ch = 0; ch < work; ch++) {
        let a0 = 0;
        let a1 = 0;
        for (let t = 0, x = x0 + ch; t < taps; t += 2, x += 2 * work) {
          a0 += coefficients[c0 + t] * buf[x];
          a1 += coefficients[c0 + t + 1] * buf[x + work];
        }
        out[n * work + ch] = a0 + a1;
      }
      phase += stepFrac;
      newest += stepWhole;
      if (phase >= up) {
        phase -= up;
        newest++;
      }
    }
  }
}
