import type { PolyphaseBank } from './polyphase-filter.js';
import { InterleavedKernel, MonoKernel } from './polyphase-kernel-js.js';
import { wasmKernel } from './polyphase-kernel-wasm.js';

/**
 * Runs a polyphase bank over the input it holds. Input and output are float frames of
 * `channels` interleaved samples; `input` holds the filter history followed by pending frames.
 */
export interface PolyphaseKernel {
  /** `wasm-simd` for the WebAssembly SIMD kernel, `js` for the JavaScript one. */
  readonly kind: 'wasm-simd' | 'js';
  /** Input frames; a new array after `reserve` has grown it. */
  readonly input: Float32Array;
  /** The outputs of the last `run`, from index 0; a new array after a `run` that grew it. */
  readonly output: Float32Array;
  /** Makes `input` hold at least `frames` frames, keeping the first `keep`. */
  reserve(frames: number, keep: number): void;
  /**
   * Computes `count` output frames into `output`. The first is phase `phase` of the filter
   * over the `taps` input frames ending at frame `newest`; each next one advances the phase
   * by `down` (and the input by a frame each time the phase passes `up`).
   */
  run(newest: number, phase: number, count: number): void;
}

/** The fastest kernel for the bank and channel count: WebAssembly SIMD for mono where the runtime has it. */
export function createPolyphaseKernel(bank: PolyphaseBank, channels: number): PolyphaseKernel {
  if (channels === 1 && bank.taps > 1) return wasmKernel(bank) ?? new MonoKernel(bank);
  return new InterleavedKernel(bank, channels);
}
