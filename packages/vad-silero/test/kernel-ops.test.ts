import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileWat } from '../../nodes-audio/scripts/build-wasm.mjs';
import { jsKernelOps } from '../src/silero-kernel-js.js';
import type { SileroKernelOps } from '../src/silero-kernel-ops.js';
import { wasmKernelError, wasmKernelOps } from '../src/silero-kernel-wasm.js';

const FLOATS = 4096;

/** A deterministic pseudo-random heap, the same for both kernels. */
function fill(ops: SileroKernelOps): SileroKernelOps {
  let seed = 12345;
  for (let i = 0; i < FLOATS; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    ops.heap[i] = (seed / 2 ** 32) * 2 - 1;
  }
  return ops;
}

describe('the WebAssembly SIMD kernel of the Silero forward pass', () => {
  it('loads on this Node (WebAssembly SIMD), built from wasm/silero.wat by the shared build script', async () => {
    expect(wasmKernelError()).toBeUndefined();
    expect(wasmKernelOps(16)?.kind).toBe('wasm-simd');
    const built = readFileSync(new URL('../wasm/silero.wasm', import.meta.url));
    expect(Buffer.compare(built, await compileWat('silero.wat', new URL('../wasm/', import.meta.url).pathname))).toBe(
      0,
    );
  });

  it('matmul equals the JavaScript loops for every column count and k mod 8, with and without ReLU', () => {
    const wasm = fill(wasmKernelOps(FLOATS) as SileroKernelOps);
    const js = fill(jsKernelOps(FLOATS));
    for (const k of [4, 8, 12, 36, 396]) {
      for (const cols of [1, 2, 3, 4, 5, 8, 9]) {
        for (const relu of [0, 1] as const) {
          // Overlapping columns (stride below k), as the STFT's frames and the strided convolutions have.
          const stride = k / 2;
          const out = 3500;
          for (const ops of [wasm, js]) ops.matmul(0, k, 3, 1200, stride, cols, 3400, out, 5, relu);
          for (let j = 0; j < cols; j++) {
            for (let r = 0; r < 3; r++) {
              const at = out + j * 5 + r;
              expect(wasm.heap[at], `k ${k}, cols ${cols}, relu ${relu}, row ${r}, col ${j}`).toBeCloseTo(
                js.heap[at],
                4,
              );
              if (relu) expect(wasm.heap[at]).toBeGreaterThanOrEqual(0);
            }
          }
          expect(wasm.heap[out + 3]).toBe(js.heap[out + 3]);
        }
      }
    }
  });

  it('magnitude is |re + i·im| of the real rows and the imaginary rows after them', () => {
    const wasm = fill(wasmKernelOps(FLOATS) as SileroKernelOps);
    const js = fill(jsKernelOps(FLOATS));
    for (const ops of [wasm, js]) ops.magnitude(100, 1000, 129, 4, 258, 132);
    for (let t = 0; t < 4; t++) {
      for (let b = 0; b < 129; b++) {
        const re = js.heap[100 + t * 258 + b];
        const im = js.heap[100 + t * 258 + 129 + b];
        expect(wasm.heap[1000 + t * 132 + b]).toBeCloseTo(Math.sqrt(re * re + im * im), 6);
        expect(js.heap[1000 + t * 132 + b]).toBeCloseTo(Math.sqrt(re * re + im * im), 6);
      }
      // The padding channels after the bins stay as they were.
      expect(wasm.heap[1000 + t * 132 + 129]).toBe(js.heap[1000 + t * 132 + 129]);
    }
  });
});
