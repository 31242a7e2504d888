import { allocSamples } from '@beluga-voice/core';
import { designPolyphaseBank, type PolyphaseBank, type ResampleQuality } from './polyphase-filter.js';
import { createPolyphaseKernel, type PolyphaseKernel } from './polyphase-kernel.js';

export interface ResamplerOptions {
  readonly inRate: number;
  readonly outRate: number;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly quality?: ResampleQuality;
}

export type PcmEncoding = 'pcm16' | 'f32';
type PcmArray<E extends PcmEncoding> = E extends 'pcm16' ? Int16Array : Float32Array;

/**
 * Streaming rational resampler with channel mixing. Output sample `n` sits at time
 * `n / outRate` exactly like input sample `k` sits at `k / inRate` (the filter delay is
 * compensated), so a stream of `N` input frames gives `ceil(N × outRate / inRate)` output frames
 * once flushed, however it is chunked.
 *
 * Filtering runs on `min(inChannels, outChannels)` channels: down-mixing happens before the
 * filter, up-mixing after it. Mono runs on a WebAssembly SIMD kernel where the runtime has it
 * (see `PolyphaseKernel`). The only allocation per call is the returned array; internal
 * buffers grow to the largest chunk seen and are then reused.
 */
export class Resampler {
  readonly inRate: number;
  readonly outRate: number;
  readonly inChannels: number;
  readonly outChannels: number;
  private readonly bank: PolyphaseBank;
  /** Holds the history (`taps - 1` frames) then pending input, as floats of `min(inChannels, outChannels)` channels. */
  private readonly kernel: PolyphaseKernel;
  /** Frames held in the kernel's input. */
  private buffered = 0;
  /** Input index of the newest input frame the next output depends on. */
  private newest = 0;
  /** Filter phase of the next output. */
  private phase = 0;
  private inputFrames = 0;
  private outputFrames = 0;

  constructor(options: ResamplerOptions) {
    for (const [name, value] of Object.entries(options)) {
      if (name !== 'quality' && !(Number.isInteger(value) && value > 0)) {
        throw new RangeError(`resampler: ${name} must be a positive integer (got ${value})`);
      }
    }
    this.inRate = options.inRate;
    this.outRate = options.outRate;
    this.inChannels = options.inChannels;
    this.outChannels = options.outChannels;
    this.bank = designPolyphaseBank(options.inRate, options.outRate, options.quality ?? 'high');
    this.kernel = createPolyphaseKernel(this.bank, Math.min(options.inChannels, options.outChannels));
    this.reset();
  }

  /** Filter length per output sample, in input samples. */
  get taps(): number {
    return this.bank.taps;
  }

  /** Output frames produced since the last reset. */
  get produced(): number {
    return this.outputFrames;
  }

  /** Forgets all history: the next input starts a new stream at time 0. */
  reset(): void {
    const { taps, delay, up } = this.bank;
    this.kernel.clear(0, taps - 1);
    this.buffered = taps - 1;
    this.newest = taps - 1 + Math.floor(delay / up);
    this.phase = delay % up;
    this.inputFrames = 0;
    this.outputFrames = 0;
  }

  /** Resamples one chunk of interleaved `inChannels` samples; returns what is ready so far. */
  process<E extends PcmEncoding>(input: Int16Array | Float32Array, encoding: E): PcmArray<E> {
    if (input.length % this.inChannels !== 0) {
      throw new RangeError(
        `resampler: ${input.length} samples is not a whole number of ${this.inChannels}-channel frames`,
      );
    }
    const frames = input.length / this.inChannels;
    this.kernel.reserve(this.buffered + frames, this.buffered);
    this.kernel.load(input, this.inChannels, this.buffered);
    this.buffered += frames;
    this.inputFrames += frames;
    return this.drain(Number.POSITIVE_INFINITY, encoding);
  }

  /**
   * Emits the tail held back by the filter's look-ahead (reading silence past the end), so
   * that the total output is `ceil(inputFrames × outRate / inRate)`, then resets.
   */
  flush<E extends PcmEncoding>(encoding: E): PcmArray<E> {
    const { up, down } = this.bank;
    const total = Math.ceil((this.inputFrames * up) / down);
    const missing = total - this.outputFrames;
    // Newest input needed by the last output, relative to the buffer.
    const lastNewest = this.newest + Math.floor((this.phase + Math.max(0, missing - 1) * down) / up);
    const pad = Math.max(0, lastNewest + 1 - this.buffered);
    this.kernel.reserve(this.buffered + pad, this.buffered);
    this.kernel.clear(this.buffered, this.buffered + pad);
    this.buffered += pad;
    const out = this.drain(missing, encoding);
    this.reset();
    return out;
  }

  /** Computes up to `limit` outputs from the buffered input, then drops history no longer needed. */
  private drain<E extends PcmEncoding>(limit: number, encoding: E): PcmArray<E> {
    const { up, down, taps } = this.bank;
    const available =
      this.newest < this.buffered
        ? Math.floor(((this.buffered - 1 - this.newest) * up + (up - 1 - this.phase)) / down) + 1
        : 0;
    const count = Math.max(0, Math.min(limit, available));
    this.kernel.run(this.newest, this.phase, count);
    const advanced = this.phase + count * down;
    let newest = this.newest + Math.floor(advanced / up);
    this.phase = advanced % up;
    this.outputFrames += count;
    // Keep the `taps - 1` frames before the next output's newest input.
    const drop = Math.min(newest - (taps - 1), this.buffered);
    if (drop > 0) {
      this.kernel.discard(drop, this.buffered);
      this.buffered -= drop;
      newest -= drop;
    }
    this.newest = newest;
    const out = allocSamples(encoding, count * this.outChannels) as PcmArray<E>;
    this.kernel.store(out, this.outChannels, count);
    return out;
  }
}
