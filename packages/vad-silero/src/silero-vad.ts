import { readFile } from 'node:fs/promises';
import type { Tensor } from 'onnxruntime-web';
import { loadOnnxRuntime, type Ort } from './onnx-runtime.js';
import type { OrtBackend, OrtBackendChoice } from './ort-backend.js';
import { SILERO_CONTEXT_SAMPLES, SILERO_WINDOW_SAMPLES, sileroModelPath } from './silero-model.js';

type Session = Awaited<ReturnType<Ort['InferenceSession']['create']>>;

export interface SileroLoadOptions {
  readonly backend?: OrtBackendChoice;
  readonly modelPath?: string;
}

/** Shape of the recurrent state tensor. */
const STATE_DIMS = [2, 1, 128];

/**
 * Silero VAD v5 on onnxruntime (CPU, one thread: the model is tiny and threads only add
 * scheduling cost). Keeps the recurrent state and the context samples between windows;
 * `probability` must not be called again before the previous call has settled.
 */
export class SileroVad {
  // Set by `start`, which the constructor calls.
  private input!: Tensor;
  private rate!: Tensor;
  private state!: Tensor;
  private context = 0;
  private window = 0;

  private constructor(
    private readonly ort: Ort,
    private readonly session: Session,
    /** The onnxruntime this instance runs on. */
    readonly backend: OrtBackend,
  ) {
    this.start(16000);
  }

  /** Loads the model on the chosen onnxruntime (`auto`: onnxruntime-node if installed, else WASM). */
  static async load(options: SileroLoadOptions = {}): Promise<SileroVad> {
    const { ort, backend } = await loadOnnxRuntime(options.backend ?? 'auto');
    const modelPath = options.modelPath ?? sileroModelPath();
    const model = await readFile(modelPath).catch((error: NodeJS.ErrnoException) => {
      throw new Error(
        `cannot read the Silero model ${modelPath}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`,
      );
    });
    const session = await ort.InferenceSession.create(new Uint8Array(model), {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    return new SileroVad(ort, session, backend);
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
    const size = this.context + window;
    this.input = new this.ort.Tensor('float32', new Float32Array(size), [1, size]);
    this.rate = new this.ort.Tensor('int64', BigInt64Array.of(BigInt(sampleRate)));
    this.state = new this.ort.Tensor('float32', new Float32Array(2 * 128), STATE_DIMS);
    return window;
  }

  /** Speech probability of one window of `windowSamples` mono samples in [-1, 1). */
  async probability(window: Float32Array): Promise<number> {
    if (window.length !== this.window) {
      throw new RangeError(`Silero VAD takes windows of ${this.window} samples, not ${window.length}`);
    }
    const input = this.input.data as Float32Array;
    // The last samples of the previous window become this one's context.
    input.copyWithin(0, this.window, this.window + this.context);
    input.set(window, this.context);
    const out = await this.session.run({ input: this.input, state: this.state, sr: this.rate });
    this.state = out.stateN;
    return (out.output.data as Float32Array)[0];
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
