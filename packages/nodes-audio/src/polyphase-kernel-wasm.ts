import { readFileSync } from 'node:fs';
import { downmixInto, writeUpmixed } from './channel-mix.js';
import type { PolyphaseBank } from './polyphase-filter.js';
import type { PolyphaseKernel } from './polyphase-kernel.js';

/** Built from wasm/polyphase.wat by scripts/build-wasm.mjs; beside src/ and dist/ alike. */
const WASM_URL = new URL('../wasm/polyphase.wasm', import.meta.url);
const PAGE = 65536;

/** The parts of the WebAssembly global used here (the ES2023 lib and Node 20's types leave it out). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmModule {
  readonly kind: 'module';
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule) => { readonly exports: unknown };
}
const WASM = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
const INITIAL_FRAMES = 1024;

interface PolyphaseExports {
  readonly memory: WasmMemory;
  polyphase(
    buf: number,
    coef: number,
    out: number,
    taps: number,
    up: number,
    stepWhole: number,
    stepFrac: number,
    newest: number,
    phase: number,
    count: number,
  ): void;
  from_pcm16(src: number, dst: number, n: number): void;
  to_pcm16(src: number, dst: number, n: number): void;
}

/** The compiled kernel module, or why it cannot load (file missing, no SIMD in this runtime). */
export type KernelModuleLoad = { readonly module: WasmModule } | { readonly error: string };

/** Compiles the kernel module from a .wasm file. */
export function loadKernelModule(url: URL): KernelModuleLoad {
  if (WASM === undefined) {
    return {
      error:
        'resampler: this runtime has no WebAssembly (node --jitless?); resampling in JavaScript, several times slower',
    };
  }
  try {
    return { module: new WASM.Module(readFileSync(url)) };
  } catch (error) {
    return {
      error: `resampler: cannot load ${url.pathname} (${(error as Error).message}); resampling in JavaScript, several times slower (build the file with \`pnpm build\`)`,
    };
  }
}

let loaded: KernelModuleLoad | undefined;

/** The package's kernel module, loaded once; undefined where it cannot load. */
function kernelModule(): WasmModule | undefined {
  loaded ??= loadKernelModule(WASM_URL);
  return 'module' in loaded ? loaded.module : undefined;
}

/** Why the WebAssembly kernel is not in use (file missing, no SIMD in this runtime), or undefined when it is. */
export function wasmKernelError(): string | undefined {
  kernelModule();
  return loaded && 'error' in loaded ? loaded.error : undefined;
}

const align16 = (bytes: number) => (bytes + 15) & ~15;

/** The WebAssembly SIMD kernel for a mono bank, or undefined where the module cannot load. */
export function wasmKernel(bank: PolyphaseBank): PolyphaseKernel | undefined {
  const module = kernelModule();
  if (!module) return undefined;
  try {
    return new WasmKernel(bank, new (WASM as WasmApi).Instance(module).exports as unknown as PolyphaseExports);
  } catch {
    // Out of memory for one more instance: this resampler runs in JavaScript, the others keep theirs.
    return undefined;
  }
}

/**
 * Memory layout of the kernel's own instance: coefficients, input frames, outputs, then pcm16
 * staging for conversions. Growing the input keeps its start, so the history stays in place;
 * what follows it moves. Mono pcm16 is converted in the module, so no sample is touched in
 * JavaScript on the common path.
 */
class WasmKernel implements PolyphaseKernel {
  readonly kind = 'wasm-simd';
  private input: Float32Array;
  private output: Float32Array;
  private staging: Int16Array;
  private readonly inputOffset: number;
  private readonly stepWhole: number;
  private readonly stepFrac: number;

  constructor(
    private readonly bank: PolyphaseBank,
    private readonly exports: PolyphaseExports,
  ) {
    this.inputOffset = align16(bank.coefficients.byteLength);
    this.stepWhole = Math.floor(bank.down / bank.up);
    this.stepFrac = bank.down % bank.up;
    this.input = new Float32Array(0);
    this.output = new Float32Array(0);
    this.staging = new Int16Array(0);
    this.layout(bank.taps - 1 + INITIAL_FRAMES, INITIAL_FRAMES);
    new Float32Array(exports.memory.buffer, 0, bank.coefficients.length).set(bank.coefficients);
  }

  reserve(frames: number, _keep: number): void {
    if (frames > this.input.length) this.layout(Math.max(frames, this.input.length * 2), this.output.length);
  }

  clear(from: number, to: number): void {
    this.input.fill(0, from, to);
  }

  discard(frames: number, held: number): void {
    this.input.copyWithin(0, frames, held);
  }

  load(samples: Int16Array | Float32Array, channels: number, at: number): void {
    if (channels !== 1) downmixInto(samples, channels, this.input, at, 1);
    else if (samples instanceof Float32Array) this.input.set(samples, at);
    else {
      this.staging.set(samples);
      this.exports.from_pcm16(this.staging.byteOffset, this.input.byteOffset + at * 4, samples.length);
    }
  }

  store(dst: Int16Array | Float32Array, channels: number, count: number): void {
    if (channels !== 1 || dst instanceof Float32Array) {
      writeUpmixed(this.output, 1, dst, channels, count);
      return;
    }
    this.exports.to_pcm16(this.output.byteOffset, this.staging.byteOffset, count);
    dst.set(this.staging.subarray(0, count));
  }

  run(newest: number, phase: number, count: number): void {
    if (count > this.output.length) this.layout(this.input.length, Math.max(count, this.output.length * 2));
    const { up, taps } = this.bank;
    this.exports.polyphase(
      this.inputOffset,
      0,
      this.output.byteOffset,
      taps,
      up,
      this.stepWhole,
      this.stepFrac,
      newest,
      phase,
      count,
    );
  }

  private layout(inputFrames: number, outputFrames: number): void {
    const memory = this.exports.memory;
    const outputOffset = align16(this.inputOffset + inputFrames * 4);
    const stagingOffset = align16(outputOffset + outputFrames * 4);
    const stagingFrames = Math.max(inputFrames, outputFrames);
    const needed = stagingOffset + stagingFrames * 2;
    if (needed > memory.buffer.byteLength) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE));
    this.input = new Float32Array(memory.buffer, this.inputOffset, inputFrames);
    this.output = new Float32Array(memory.buffer, outputOffset, outputFrames);
    this.staging = new Int16Array(memory.buffer, stagingOffset, stagingFrames);
  }
}
