import { jsKernelOps } from './silero-kernel-js.js';
import type { SileroKernelOps } from './silero-kernel-ops.js';
import { wasmKernelOps } from './silero-kernel-wasm.js';
import { SILERO_CONTEXT_SAMPLES, SILERO_WINDOW_SAMPLES } from './silero-model.js';
import type { SileroRateWeights } from './silero-weights.js';

/** One matmul call of the forward pass (see SileroKernelOps.matmul); offsets into the heap. */
interface MatmulStep {
  readonly w: number;
  readonly k: number;
  readonly rows: number;
  readonly x: number;
  readonly colStride: number;
  readonly cols: number;
  readonly bias: number;
  readonly out: number;
  readonly outStride: number;
  readonly relu: 0 | 1;
}

/** Where one sample rate's weights, activations and state lie in the heap. */
interface RatePlan {
  readonly input: number;
  readonly inputLength: number;
  /** Samples reflected past the right edge before the STFT. */
  readonly pad: number;
  readonly stft: MatmulStep;
  readonly magnitude: { readonly dst: number; readonly bins: number; readonly stride: number };
  readonly encoder: readonly MatmulStep[];
  readonly lstm: MatmulStep;
  readonly hidden: number;
  /** LSTM cell state; the hidden state is the second half of the LSTM's input column. */
  readonly cell: number;
  readonly decoderWeight: number;
  readonly decoderBias: number;
}

const ceil4 = (n: number) => (n + 3) & ~3;

/** Lays out the heap: offsets stay multiples of 4 floats (16 bytes), so every SIMD load is aligned. */
class HeapLayout {
  size = 0;
  readonly writes: Array<{ at: number; data: Float32Array }> = [];

  alloc(floats: number, data?: Float32Array): number {
    const at = this.size;
    this.size += ceil4(floats);
    if (data) this.writes.push({ at, data });
    return at;
  }
}

/**
 * Encoder convolution weights [out, in, 3] as rows [out][3][inPadded]: over activations stored
 * time-major ([frame][channel], channels padded to a multiple of 4, one zero frame each side),
 * the window of output frame t is then the contiguous run from frame t·stride: a column of the matmul.
 */
function timeMajorConvWeights(weight: Float32Array, outputs: number, inputs: number, padded: number): Float32Array {
  const out = new Float32Array(outputs * 3 * padded);
  for (let o = 0; o < outputs; o++)
    for (let i = 0; i < inputs; i++)
      for (let k = 0; k < 3; k++) out[(o * 3 + k) * padded + i] = weight[(o * inputs + i) * 3 + k];
  return out;
}

function planRate(layout: HeapLayout, w: SileroRateWeights): RatePlan {
  const { sampleRate, stft, lstm } = w;
  const inputLength = SILERO_CONTEXT_SAMPLES[sampleRate] + SILERO_WINDOW_SAMPLES[sampleRate];
  // The graph's Pad node reflects the input's right edge by a quarter of the STFT's filter.
  const pad = stft.filter / 4;
  const frames = (inputLength + pad - stft.filter) / stft.hop + 1;
  if (!Number.isInteger(frames) || stft.filter % 4 !== 0) {
    throw new Error(
      `Silero ${sampleRate} Hz: an STFT of filter ${stft.filter}, hop ${stft.hop} does not fit the input`,
    );
  }
  const input = layout.alloc(inputLength + pad);
  const rows = 2 * stft.bins;
  const stftOut = layout.alloc(frames * rows);
  const stftStep: MatmulStep = {
    w: layout.alloc(rows * stft.filter, stft.basis),
    k: stft.filter,
    rows,
    x: input,
    colStride: stft.hop,
    cols: frames,
    bias: layout.alloc(rows),
    out: stftOut,
    outStride: rows,
    relu: 0,
  };
  let channels = ceil4(stft.bins);
  let x = layout.alloc((frames + 2) * channels);
  const magnitude = { dst: x + channels, bins: stft.bins, stride: channels };
  const column = layout.alloc(lstm.inputs + lstm.hidden);
  const encoder: MatmulStep[] = [];
  let length = frames;
  for (const [l, conv] of w.encoder.entries()) {
    const cols = Math.floor((length + 2 - 3) / conv.stride) + 1;
    const last = l === w.encoder.length - 1;
    const next = ceil4(conv.outputs);
    if (last && (cols !== 1 || conv.outputs !== lstm.inputs)) {
      throw new Error(
        `Silero ${sampleRate} Hz: the encoder ends in ${cols} frames of ${conv.outputs}, not one of ${lstm.inputs}`,
      );
    }
    const out = last ? column : layout.alloc((cols + 2) * next) + next;
    encoder.push({
      w: layout.alloc(
        conv.outputs * 3 * channels,
        timeMajorConvWeights(conv.weight, conv.outputs, conv.inputs, channels),
      ),
      k: 3 * channels,
      rows: conv.outputs,
      x,
      colStride: conv.stride * channels,
      cols,
      bias: layout.alloc(conv.outputs, conv.bias),
      out,
      outStride: next,
      relu: 1,
    });
    x = out - next;
    channels = next;
    length = cols;
  }
  return {
    input,
    inputLength,
    pad,
    stft: stftStep,
    magnitude,
    encoder,
    lstm: lstmStep(layout, w, column),
    hidden: lstm.hidden,
    cell: layout.alloc(lstm.hidden),
    decoderWeight: layout.alloc(lstm.hidden, w.decoder.weight),
    decoderBias: w.decoder.bias,
  };
}

/** One matmul for the four gates over the column [x, h]: rows [weight_ih | weight_hh], bias bias_ih + bias_hh. */
function lstmStep(layout: HeapLayout, { sampleRate, lstm }: SileroRateWeights, column: number): MatmulStep {
  const k = lstm.inputs + lstm.hidden;
  if (k % 4 !== 0) throw new Error(`Silero ${sampleRate} Hz: an LSTM column of ${k} is not a multiple of 4`);
  const rows = 4 * lstm.hidden;
  const weights = new Float32Array(rows * k);
  for (let r = 0; r < rows; r++) {
    weights.set(lstm.weightIh.subarray(r * lstm.inputs, (r + 1) * lstm.inputs), r * k);
    weights.set(lstm.weightHh.subarray(r * lstm.hidden, (r + 1) * lstm.hidden), r * k + lstm.inputs);
  }
  return {
    w: layout.alloc(weights.length, weights),
    k,
    rows,
    x: column,
    colStride: 0,
    cols: 1,
    bias: layout.alloc(
      rows,
      Float32Array.from(lstm.biasIh, (b, r) => b + lstm.biasHh[r]),
    ),
    out: layout.alloc(rows),
    outStride: 0,
    relu: 0,
  };
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** The default: WebAssembly SIMD, or JavaScript where that cannot load. */
const defaultOps = (floats: number) => wasmKernelOps(floats) ?? jsKernelOps(floats);

/**
 * Silero VAD v5's forward pass of our own: STFT magnitude, four conv + ReLU layers, one LSTM step,
 * ReLU → 1×1 conv → sigmoid. Every buffer is laid out once in one heap; a window allocates nothing.
 */
export class SileroKernel {
  readonly kind: SileroKernelOps['kind'];
  private readonly ops: SileroKernelOps;
  private readonly plans = new Map<number, RatePlan>();
  private plan: RatePlan;

  constructor(
    weights: ReadonlyMap<number, SileroRateWeights>,
    createOps: (floats: number) => SileroKernelOps = defaultOps,
  ) {
    const layout = new HeapLayout();
    for (const [rate, w] of weights) this.plans.set(rate, planRate(layout, w));
    this.ops = createOps(layout.size);
    this.kind = this.ops.kind;
    for (const { at, data } of layout.writes) this.ops.heap.set(data, at);
    this.plan = this.plans.values().next().value as RatePlan;
  }

  /** Resets the state for a stream at `sampleRate`; returns the zeroed input (context, then window). */
  start(sampleRate: number): Float32Array {
    const plan = this.plans.get(sampleRate);
    if (!plan) throw new RangeError(`the Silero kernel has no weights for ${sampleRate} Hz`);
    this.plan = plan;
    const heap = this.ops.heap;
    heap.fill(0, plan.input, plan.input + plan.inputLength);
    heap.fill(0, plan.cell, plan.cell + plan.hidden);
    const h = plan.lstm.x + plan.lstm.k - plan.hidden;
    heap.fill(0, h, h + plan.hidden);
    return heap.subarray(plan.input, plan.input + plan.inputLength);
  }

  /** Speech probability of the input as it is now; carries the LSTM state on. */
  run(): number {
    const { ops, plan } = this;
    const heap = ops.heap;
    const end = plan.input + plan.inputLength;
    // The right edge reflected (the graph's Pad, mode reflect): x[n - 1 + k] = x[n - 1 - k].
    for (let j = 0; j < plan.pad; j++) heap[end + j] = heap[end - 2 - j];
    this.matmul(plan.stft);
    const { stft, magnitude } = plan;
    ops.magnitude(stft.out, magnitude.dst, magnitude.bins, stft.cols, stft.outStride, magnitude.stride);
    for (let l = 0; l < plan.encoder.length; l++) this.matmul(plan.encoder[l]);
    this.matmul(plan.lstm);
    const { hidden, cell, decoderWeight } = plan;
    const gates = plan.lstm.out;
    const h = plan.lstm.x + plan.lstm.k - hidden;
    let logit = plan.decoderBias;
    for (let j = 0; j < hidden; j++) {
      const input = sigmoid(heap[gates + j]);
      const forget = sigmoid(heap[gates + hidden + j]);
      const candidate = Math.tanh(heap[gates + 2 * hidden + j]);
      const output = sigmoid(heap[gates + 3 * hidden + j]);
      // Stored as float32 before use, as onnxruntime keeps them.
      heap[cell + j] = forget * heap[cell + j] + input * candidate;
      heap[h + j] = output * Math.tanh(heap[cell + j]);
      // The decoder: ReLU, then the 1×1 convolution to one logit.
      if (heap[h + j] > 0) logit += heap[decoderWeight + j] * heap[h + j];
    }
    return Math.fround(sigmoid(logit));
  }

  private matmul(s: MatmulStep): void {
    this.ops.matmul(s.w, s.k, s.rows, s.x, s.colStride, s.cols, s.bias, s.out, s.outStride, s.relu);
  }
}
