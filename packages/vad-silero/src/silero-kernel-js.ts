import type { SileroKernelOps } from './silero-kernel-ops.js';

/** The JavaScript fallback of wasm/silero.wat, where WebAssembly SIMD is unavailable. */
export function jsKernelOps(floats: number): SileroKernelOps {
  const heap = new Float32Array(floats);
  return {
    kind: 'js',
    heap,
    matmul(w, k, rows, x, colStride, cols, bias, out, outStride, relu) {
      for (let r = 0; r < rows; r++) {
        const row = w + r * k;
        for (let j = 0; j < cols; j++) {
          const col = x + j * colStride;
          // Four accumulators break the dependency chain of a single running sum.
          let a0 = 0;
          let a1 = 0;
          let a2 = 0;
          let a3 = 0;
          for (let i = 0; i < k; i += 4) {
            a0 += heap[row + i] * heap[col + i];
            a1 += heap[row + i + 1] * heap[col + i + 1];
            a2 += heap[row + i + 2] * heap[col + i + 2];
            a3 += heap[row + i + 3] * heap[col + i + 3];
          }
          const s = a0 + a1 + (a2 + a3) + heap[bias + r];
          heap[out + j * outStride + r] = relu && s < 0 ? 0 : s;
        }
      }
    },
    magnitude(src, dst, bins, frames, srcStride, dstStride) {
      for (let t = 0; t < frames; t++) {
        const s = src + t * srcStride;
        const d = dst + t * dstStride;
        for (let b = 0; b < bins; b++) {
          const re = heap[s + b];
          const im = heap[s + bins + b];
          heap[d + b] = Math.sqrt(re * re + im * im);
        }
      }
    },
  };
}
