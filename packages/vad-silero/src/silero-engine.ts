import type { SileroBackend } from './ort-backend.js';

/** What runs the model for SileroVad: our own kernel or an onnxruntime session. */
export interface SileroEngine {
  readonly backend: SileroBackend;
  /** For the `kernel` backend: whether its loops run in WebAssembly SIMD or in JavaScript. */
  readonly kernel?: 'wasm-simd' | 'js';
  /**
   * Starts a new stream at `sampleRate` (8000 or 16000): resets the recurrent state and returns the
   * zeroed model input (context samples, then one window), which the caller fills before each `run`.
   */
  start(sampleRate: number): Float32Array;
  /** Speech probability of the input as it is now; carries the recurrent state on. */
  run(): number | Promise<number>;
  close(): Promise<void>;
}
