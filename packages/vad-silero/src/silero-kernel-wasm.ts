import { readFileSync } from 'node:fs';
import type { SileroKernelOps } from './silero-kernel-ops.js';

/** Built from wasm/silero.wat by the root build (packages/nodes-audio/scripts/build-wasm.mjs); beside src/ and dist/ alike. */
const WASM_URL = new URL('../wasm/silero.wasm', import.meta.url);
const PAGE = 65536;

/** The parts of the WebAssembly global used here (the ES2023 lib and Node 20's types leave it out). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmModule {
  readonly kind: 'module';
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: unknown };
}
const WASM = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

type Exports = Pick<SileroKernelOps, 'matmul' | 'magnitude'>;

let loaded: { module: WasmModule } | { error: string } | undefined;

/** The compiled kernel module, or why it cannot load (no WebAssembly, no SIMD, file missing). */
function kernelModule(): { module: WasmModule } | { error: string } {
  if (loaded) return loaded;
  if (WASM === undefined) {
    loaded = { error: 'this runtime has no WebAssembly (node --jitless?)' };
    return loaded;
  }
  try {
    loaded = { module: new WASM.Module(readFileSync(WASM_URL)) };
  } catch (error) {
    loaded = {
      error: `cannot load ${WASM_URL.pathname} (${(error as Error).message}; build it with \`pnpm build\`)`,
    };
  }
  return loaded;
}

/** Why the WebAssembly SIMD kernel cannot run here, or undefined when it can. */
export function wasmKernelError(): string | undefined {
  const m = kernelModule();
  return 'error' in m ? m.error : undefined;
}

/** The WebAssembly SIMD kernel over a heap of `floats` floats in its own memory, or undefined where it cannot load. */
export function wasmKernelOps(floats: number): SileroKernelOps | undefined {
  const m = kernelModule();
  if ('error' in m) return undefined;
  let memory: WasmMemory;
  let exports: Exports;
  try {
    memory = new (WASM as WasmApi).Memory({ initial: Math.ceil((floats * 4) / PAGE) });
    exports = new (WASM as WasmApi).Instance(m.module, { env: { memory } }).exports as Exports;
  } catch {
    // No memory for one more instance: this VAD runs in JavaScript, the others keep theirs.
    return undefined;
  }
  return {
    kind: 'wasm-simd',
    heap: new Float32Array(memory.buffer, 0, floats),
    matmul: exports.matmul,
    magnitude: exports.magnitude,
  };
}
