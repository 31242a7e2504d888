import { type OnnxGraph, type OnnxNode, type OnnxTensor, readOnnxGraph } from './onnx-model.js';

/** A 1-D convolution of the encoder: weight [out, in, 3], zero padding of 1 on each side, then ReLU. */
export interface SileroConv {
  readonly weight: Float32Array;
  readonly bias: Float32Array;
  readonly inputs: number;
  readonly outputs: number;
  readonly stride: number;
}

/** The weights of one sample rate's branch of Silero VAD v5, with the sizes the graph implies. */
export interface SileroRateWeights {
  readonly sampleRate: number;
  /** The STFT as a convolution: `basis` [2 * bins, filter] (real rows, then imaginary), hop `hop`. */
  readonly stft: { readonly basis: Float32Array; readonly bins: number; readonly filter: number; readonly hop: number };
  readonly encoder: readonly SileroConv[];
  /** PyTorch's LSTM weights, gate rows in PyTorch's order (input, forget, cell, output). */
  readonly lstm: {
    readonly weightIh: Float32Array;
    readonly weightHh: Float32Array;
    readonly biasIh: Float32Array;
    readonly biasHh: Float32Array;
    readonly inputs: number;
    readonly hidden: number;
  };
  /** ReLU, then a 1×1 convolution to one output, then a sigmoid. */
  readonly decoder: { readonly weight: Float32Array; readonly bias: number };
}

/** Hidden size of the LSTM: the recurrent state is [2, 1, 128]. */
export const SILERO_HIDDEN = 128;
const ENCODER_LAYERS = 4;

class Branch {
  private readonly values = new Map<string, { tensor: OnnxTensor; value: string }>();

  constructor(
    private readonly graph: OnnxGraph,
    private readonly where: string,
  ) {
    for (const t of graph.initializers) this.values.set(t.name, { tensor: t, value: t.name });
    for (const n of graph.nodes) {
      const tensor = n.opType === 'Constant' ? n.attributes.get('value')?.tensor : undefined;
      if (tensor?.name) this.values.set(tensor.name, { tensor, value: n.outputs[0] });
    }
  }

  /** The tensor named `name`, checked against `dims` (-1: any size, returned in the result). */
  tensor(name: string, dims: readonly number[]): { data: Float32Array; dims: readonly number[]; value: string } {
    const found = this.values.get(name);
    if (!found) throw new Error(`${this.where} has no tensor ${name}`);
    const { tensor, value } = found;
    if (tensor.dims.length !== dims.length || dims.some((d, i) => d !== -1 && d !== tensor.dims[i])) {
      throw new Error(
        `${this.where}: tensor ${name} is [${tensor.dims.join(', ')}], expected [${dims.map((d) => (d === -1 ? '?' : d)).join(', ')}]`,
      );
    }
    try {
      return { data: tensor.floats(), dims: tensor.dims, value };
    } catch (error) {
      throw new Error(`${this.where}: ${(error as Error).message}`);
    }
  }

  /** The Conv node whose weight is `value`, with its stride, checked for kernel size and padding. */
  convStride(value: string, name: string, kernel: number, pad: number): number {
    const conv = this.graph.nodes.find((n) => n.opType === 'Conv' && n.inputs[1] === value);
    if (!conv) throw new Error(`${this.where} has no Conv node on ${name}`);
    const ints = (attr: string) => conv.attributes.get(attr)?.ints ?? [];
    const pads = ints('pads');
    if (ints('kernel_shape')[0] !== kernel || pads.some((p) => p !== pad) || ints('group')[0] > 1) {
      throw new Error(
        `${this.where}: the Conv on ${name} has kernel ${ints('kernel_shape')}, pads ${pads}, group ${ints('group')}; expected kernel ${kernel}, pads ${pad}, one group`,
      );
    }
    return ints('strides')[0] ?? 1;
  }
}

function rateWeights(branch: Branch, sampleRate: number): SileroRateWeights {
  const basis = branch.tensor('stft.forward_basis_buffer', [-1, 1, -1]);
  const [rows, , filter] = basis.dims;
  const bins = rows / 2;
  const hop = branch.convStride(basis.value, 'stft.forward_basis_buffer', filter, 0);
  const encoder: SileroConv[] = [];
  let inputs = bins;
  for (let l = 0; l < ENCODER_LAYERS; l++) {
    const name = `encoder.${l}.reparam_conv`;
    const weight = branch.tensor(`${name}.weight`, [-1, inputs, 3]);
    const outputs = weight.dims[0];
    const bias = branch.tensor(`${name}.bias`, [outputs]).data;
    encoder.push({ weight: weight.data, bias, inputs, outputs, stride: branch.convStride(weight.value, name, 3, 1) });
    inputs = outputs;
  }
  const h = SILERO_HIDDEN;
  const lstm = {
    weightIh: branch.tensor('decoder.rnn.weight_ih', [4 * h, inputs]).data,
    weightHh: branch.tensor('decoder.rnn.weight_hh', [4 * h, h]).data,
    biasIh: branch.tensor('decoder.rnn.bias_ih', [4 * h]).data,
    biasHh: branch.tensor('decoder.rnn.bias_hh', [4 * h]).data,
    inputs,
    hidden: h,
  };
  const decoder = {
    weight: branch.tensor('decoder.decoder.2.weight', [1, h, 1]).data,
    bias: branch.tensor('decoder.decoder.2.bias', [1]).data[0],
  };
  return { sampleRate, stft: { basis: basis.data, bins, filter, hop }, encoder, lstm, decoder };
}

/** The If node that picks the 16 kHz branch when `sr` equals 16000 (the else branch is 8 kHz). */
function rateSwitch(graph: OnnxGraph): { node: OnnxNode; thenRate: number } | undefined {
  const constants = new Map<string, number | undefined>();
  for (const n of graph.nodes) {
    const value = n.opType === 'Constant' ? n.attributes.get('value')?.tensor : undefined;
    if (value?.dataType === 7) constants.set(n.outputs[0], value.ints()[0]);
  }
  for (const node of graph.nodes) {
    if (node.opType !== 'If') continue;
    const cond = graph.nodes.find((n) => n.outputs[0] === node.inputs[0]);
    if (cond?.opType !== 'Equal' || !cond.inputs.includes('sr')) continue;
    const rate = constants.get(cond.inputs.find((i) => i !== 'sr') ?? '');
    if (rate === 16000 || rate === 8000) return { node, thenRate: rate };
  }
  return undefined;
}

/**
 * Silero VAD v5's weights for 8 and 16 kHz, read from the ONNX file's bytes. Throws naming the file
 * and what is missing when the file is not that model. The 16 kHz branch: STFT 258×256 hop 128,
 * encoder 129→128 s1, 128→64 s2, 64→64 s2, 64→128 s1; the 8 kHz one: STFT 130×128 hop 64, 65→128 first.
 */
export function readSileroWeights(bytes: Uint8Array, file: string): ReadonlyMap<number, SileroRateWeights> {
  const problem = (what: string) => new Error(`${file} is not a Silero VAD v5 model: ${what}`);
  let graph: OnnxGraph;
  try {
    graph = readOnnxGraph(bytes);
  } catch (error) {
    throw problem(`cannot read it as ONNX (${(error as Error).message})`);
  }
  const rates = rateSwitch(graph);
  if (!rates) throw problem('its graph has no If node on sr == 16000 (or 8000) choosing the weights of each rate');
  const out = new Map<number, SileroRateWeights>();
  for (const [attr, rate] of [
    ['then_branch', rates.thenRate],
    ['else_branch', rates.thenRate === 16000 ? 8000 : 16000],
  ] as const) {
    const sub = rates.node.attributes.get(attr)?.graph;
    if (!sub) throw problem(`its If node on sr has no ${attr}`);
    try {
      out.set(rate, rateWeights(new Branch(sub, `the ${rate} Hz branch`), rate));
    } catch (error) {
      throw problem((error as Error).message);
    }
  }
  return out;
}
