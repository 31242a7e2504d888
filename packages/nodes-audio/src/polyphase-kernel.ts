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
  /** Makes `input` hold at least `frames` frames, keeping the first `keep`. */
  reserve(frames: number, keep: number): void;
  /** Writes interleaved samples of `channels` channels into `input` from frame `at`, down-mixed (see channel-mix). */
  load(samples: Int16Array | Float32Array, channels: number, at: number): void;
  /**
   * Computes `count` output frames into `output`. The first is phase `phase` of the filter
   * over the `taps` input frames ending at frame `newest`; each next one advances the phase
   * by `down` (and the input by a frame each time the phase passes `up`).
   */
  run(newest: number, phase: number, count: number): void;
  /** Writes the first `count` outputs of the last `run` into `dst`, up-mixed to `channels` and converted to its type. */
  store(dst: Int16Array | Float32Array, channels: number, count: number): void;
}

/** The fastest kernel for the bank and channel count: WebAssembly SIMD for mono where the runtime has it. */
export function createPolyphaseKernel(bank: PolyphaseBank, channels: number): PolyphaseKernel {
  if (channels === 1 && bank.taps > 1) return wasmKernel(bank) ?? new MonoKernel(bank);
  return new InterleavedKernel(bank, channels);
}
