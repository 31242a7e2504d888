/**
 * The hot loops of the Silero forward pass over one float heap, in WebAssembly SIMD
 * (wasm/silero.wat) or in JavaScript. Offsets, lengths and strides count floats of `heap`.
 */
export interface SileroKernelOps {
  readonly kind: 'wasm-simd' | 'js';
  readonly heap: Float32Array;
  /**
   * out[j·outStride + r] = act(bias[r] + Σ_i w[r·k + i] · x[j·colStride + i]) for r < rows, j < cols;
   * act is ReLU when `relu` is 1. `k` must be a multiple of 4.
   */
  matmul(
    w: number,
    k: number,
    rows: number,
    x: number,
    colStride: number,
    cols: number,
    bias: number,
    out: number,
    outStride: number,
    relu: 0 | 1,
  ): void;
  /** dst[t·dstStride + b] = |src[t·srcStride + b] + i·src[t·srcStride + bins + b]| for t < frames, b < bins. */
  magnitude(src: number, dst: number, bins: number, frames: number, srcStride: number, dstStride: number): void;
}
