import type { Tensor } from 'onnxruntime-web';
import { loadOnnxRuntime, type Ort } from './onnx-runtime.js';
import type { OrtBackend, OrtBackendChoice } from './ort-backend.js';
import type { SileroEngine } from './silero-engine.js';
import { SILERO_CONTEXT_SAMPLES, SILERO_WINDOW_SAMPLES } from './silero-model.js';

type Session = Awaited<ReturnType<Ort['InferenceSession']['create']>>;

/** Shape of the recurrent state tensor. */
const STATE_DIMS = [2, 1, 128];

/** Silero VAD on onnxruntime (CPU, one thread: the model is tiny and threads only add scheduling cost). */
class OrtEngine implements SileroEngine {
  // Set by `start`, before the first run.
  private input!: Tensor;
  private rate!: Tensor;
  private state!: Tensor;

  constructor(
    private readonly ort: Ort,
    private readonly session: Session,
    readonly backend: OrtBackend,
  ) {}

  start(sampleRate: number): Float32Array {
    const input = new Float32Array(SILERO_CONTEXT_SAMPLES[sampleRate] + SILERO_WINDOW_SAMPLES[sampleRate]);
    this.input = new this.ort.Tensor('float32', input, [1, input.length]);
    this.rate = new this.ort.Tensor('int64', BigInt64Array.of(BigInt(sampleRate)));
    this.state = new this.ort.Tensor('float32', new Float32Array(2 * 128), STATE_DIMS);
    return input;
  }

  async run(): Promise<number> {
    const out = await this.session.run({ input: this.input, state: this.state, sr: this.rate });
    this.state = out.stateN;
    return (out.output.data as Float32Array)[0];
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

/** An onnxruntime session on the model's bytes, on the chosen onnxruntime. */
export async function ortEngine(choice: OrtBackendChoice, model: Uint8Array): Promise<SileroEngine> {
  const { ort, backend } = await loadOnnxRuntime(choice);
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  return new OrtEngine(ort, session, backend);
}
