import type { PolyphaseBank } from './polyphase-filter.js';
import { InterleavedKernel, MonoKernel } from './polyphase-kernel-js.js';
import { PlanarKernel } from './polyphase-kernel-planar.js';
import { wasmKernel } from './polyphase-kernel-wasm.js';

/**
 * Runs a polyphase bank over the input frames it holds (the filter history followed by pending
 * frames), each of the kernel's channel count, as floats.
 */
export interface PolyphaseKernel {
  /** `wasm-simd` for the WebAssembly SIMD kernel, `js` for the JavaScript one. */
  readonly kind: 'wasm-simd' | 'js';
  /** Makes room for at least `frames` input frames, keeping the first `keep`. */
  reserve(frames: number, keep: number): void;
  /** Sets input frames `from` to `to` (excluded) to silence. */
  clear(from: number, to: number): void;
  /** Drops the first `frames` of the `held` input frames, moving the rest to the start. */
  discard(frames: number, held: number): void;
  /** Writes interleaved samples of `channels` channels as input frames from frame `at`, down-mixed (see channel-mix). */
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

/**
 * The fastest kernel for the bank and channel count: WebAssembly SIMD where the runtime has it
 * (one instance per channel), else JavaScript. The identity bank (same rates) only copies.
 */
export function createPolyphaseKernel(bank: PolyphaseBank, channels: number): PolyphaseKernel {
  if (bank.taps === 1) return new InterleavedKernel(bank, channels);
  if (channels === 1) return wasmKernel(bank) ?? new MonoKernel(bank);
  const lanes: PolyphaseKernel[] = [];
  for (let c = 0; c < channels; c++) {
    const lane = wasmKernel(bank);
    if (!lane) return new InterleavedKernel(bank, channels);
    lanes.push(lane);
  }
  return new PlanarKernel(lanes);
}
