import { readFile } from 'node:fs/promises';
import type { SileroBackend, SileroBackendChoice } from './ort-backend.js';
import { ortEngine } from './ort-engine.js';
import type { SileroEngine } from './silero-engine.js';
import { SileroKernel } from './silero-kernel.js';
import { SILERO_CONTEXT_SAMPLES, SILERO_WINDOW_SAMPLES, sileroModelPath } from './silero-model.js';
import { readSileroWeights } from './silero-weights.js';

export interface SileroLoadOptions {
  readonly backend?: SileroBackendChoice;
  readonly modelPath?: string;
}

/** The package's own forward pass as an engine (synchronous; nothing to release). */
function kernelEngine(model: Uint8Array, modelPath: string): SileroEngine {
  const kernel = new SileroKernel(readSileroWeights(model, modelPath));
  return {
    backend: 'kernel',
    kernel: kernel.kind,
    start: (sampleRate) => kernel.start(sampleRate),
    run: () => kernel.run(),
    close: async () => undefined,
  };
}

/**
 * Silero VAD v5: keeps the recurrent state and the context samples between windows;
 * `probability` must not be called again before the previous call has settled.
 */
export class SileroVad {
  // Set by `start`, which the constructor calls.
  private input!: Float32Array;
  private context = 0;
  private window = 0;

  private constructor(private readonly engine: SileroEngine) {
    this.start(16000);
  }

  /** What runs the model: the package's kernel or an onnxruntime. */
  get backend(): SileroBackend {
    return this.engine.backend;
  }

  /** For the `kernel` backend: `wasm-simd`, or `js` where WebAssembly SIMD could not load (several times the CPU). */
  get kernel(): 'wasm-simd' | 'js' | undefined {
    return this.engine.kernel;
  }

  /** Loads the model on the chosen backend (`auto`: the kernel). */
  static async load(options: SileroLoadOptions = {}): Promise<SileroVad> {
    const choice = options.backend ?? 'auto';
    const modelPath = options.modelPath ?? sileroModelPath();
    const model = await readFile(modelPath).catch((error: NodeJS.ErrnoException) => {
      throw new Error(
        `cannot read the Silero model ${modelPath}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`,
      );
    });
    const bytes = new Uint8Array(model.buffer, model.byteOffset, model.byteLength);
    const engine =
      choice === 'kernel' || choice === 'auto' ? kernelEngine(bytes, modelPath) : await ortEngine(choice, bytes);
    return new SileroVad(engine);
  }

  /** Window length in samples at the current rate. */
  get windowSamples(): number {
    return this.window;
  }

  /** Starts a new stream at 8000 or 16000 Hz: resets the state and context; returns the window length. */
  start(sampleRate: number): number {
    const window = SILERO_WINDOW_SAMPLES[sampleRate];
    if (window === undefined) {
      throw new RangeError(`Silero VAD runs at 8000 or 16000 Hz, not ${sampleRate} Hz (insert audio.resample)`);
    }
    this.window = window;
    this.context = SILERO_CONTEXT_SAMPLES[sampleRate];
    this.input = this.engine.start(sampleRate);
    return window;
  }

  /** Speech probability of one window of `windowSamples` mono samples in [-1, 1). */
  async probability(window: Float32Array): Promise<number> {
    if (window.length !== this.window) {
      throw new RangeError(`Silero VAD takes windows of ${this.window} samples, not ${window.length}`);
    }
    // The last samples of the previous window become this one's context.
    this.input.copyWithin(0, this.window, this.window + this.context);
    this.input.set(window, this.context);
    return this.engine.run();
  }

  async close(): Promise<void> {
    await this.engine.close();
  }
}
