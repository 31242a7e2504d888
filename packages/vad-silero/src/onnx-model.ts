import { type ProtoField, readFields, readInts, readString } from './protobuf-reader.js';

/** ONNX TensorProto.DataType values read here. */
const FLOAT = 1;
const INT64 = 7;

/** A tensor of the graph: shape and element type at once, values decoded on demand. */
export interface OnnxTensor {
  readonly name: string;
  readonly dims: readonly number[];
  readonly dataType: number;
  /** Values of a float tensor, in row-major order; throws for any other type. */
  floats(): Float32Array;
  /** Values of an int64 tensor; throws for any other type. */
  ints(): number[];
}

export interface OnnxAttribute {
  readonly name: string;
  readonly ints: readonly number[];
  readonly tensor?: OnnxTensor;
  readonly graph?: OnnxGraph;
}

export interface OnnxNode {
  readonly opType: string;
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: ReadonlyMap<string, OnnxAttribute>;
}

export interface OnnxGraph {
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxTensor[];
}

export class OnnxFormatError extends Error {}

const strings = (bytes: Uint8Array, fields: readonly ProtoField[], field: number) =>
  fields.filter((f) => f.field === field).map((f) => readString(bytes, f));

const first = (fields: readonly ProtoField[], field: number) => fields.find((f) => f.field === field);

// TensorProto: dims 1, data_type 2, float_data 4, int64_data 7, name 8, raw_data 9, data_location 14.
function readTensor(bytes: Uint8Array, start: number, end: number): OnnxTensor {
  const fields = readFields(bytes, start, end);
  const nameField = first(fields, 8);
  const name = nameField ? readString(bytes, nameField) : '';
  const dims = readInts(bytes, fields, 1);
  const dataType = Number(first(fields, 2)?.varint ?? 0n);
  const count = dims.reduce((a, b) => a * b, 1);
  const raw = first(fields, 9);
  const describe = () => `tensor ${name || '(unnamed)'} [${dims.join(', ')}]`;
  if (first(fields, 14)?.varint === 1n) {
    throw new OnnxFormatError(`${describe()} keeps its data in an external file, which is not supported`);
  }
  const expect = (type: number, label: string) => {
    if (dataType !== type) throw new OnnxFormatError(`${describe()} holds data type ${dataType}, not ${label}`);
  };
  return {
    name,
    dims,
    dataType,
    floats() {
      expect(FLOAT, 'float32');
      const out = new Float32Array(count);
      const packed = fields.filter((f) => f.field === 4);
      if (raw) {
        if (raw.end - raw.start !== count * 4) {
          throw new OnnxFormatError(`${describe()} has ${raw.end - raw.start} bytes of data, not ${count * 4}`);
        }
        const view = new DataView(bytes.buffer, bytes.byteOffset + raw.start, count * 4);
        for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
        return out;
      }
      let n = 0;
      for (const f of packed) {
        const view = new DataView(bytes.buffer, bytes.byteOffset + f.start, f.end - f.start);
        for (let at = 0; at + 4 <= view.byteLength && n < count; at += 4) out[n++] = view.getFloat32(at, true);
      }
      if (n !== count) throw new OnnxFormatError(`${describe()} has ${n} float values, not ${count}`);
      return out;
    },
    ints() {
      expect(INT64, 'int64');
      if (!raw) return readInts(bytes, fields, 7);
      const view = new DataView(bytes.buffer, bytes.byteOffset + raw.start, raw.end - raw.start);
      return Array.from({ length: view.byteLength >> 3 }, (_, i) => Number(view.getBigInt64(i * 8, true)));
    },
  };
}

// AttributeProto: name 1, i 3, t 5, g 6, ints 8.
function readAttribute(bytes: Uint8Array, start: number, end: number): OnnxAttribute {
  const fields = readFields(bytes, start, end);
  const nameField = first(fields, 1);
  const t = first(fields, 5);
  const g = first(fields, 6);
  const i = first(fields, 3);
  return {
    name: nameField ? readString(bytes, nameField) : '',
    ints: i ? [Number(BigInt.asIntN(64, i.varint))] : readInts(bytes, fields, 8),
    tensor: t ? readTensor(bytes, t.start, t.end) : undefined,
    graph: g ? readGraph(bytes, g.start, g.end) : undefined,
  };
}

// NodeProto: input 1, output 2, name 3, op_type 4, attribute 5.
function readNode(bytes: Uint8Array, start: number, end: number): OnnxNode {
  const fields = readFields(bytes, start, end);
  const attributes = new Map<string, OnnxAttribute>();
  for (const f of fields) {
    if (f.field !== 5) continue;
    const a = readAttribute(bytes, f.start, f.end);
    attributes.set(a.name, a);
  }
  return {
    opType: strings(bytes, fields, 4)[0] ?? '',
    name: strings(bytes, fields, 3)[0] ?? '',
    inputs: strings(bytes, fields, 1),
    outputs: strings(bytes, fields, 2),
    attributes,
  };
}

// GraphProto: node 1, initializer 5.
function readGraph(bytes: Uint8Array, start: number, end: number): OnnxGraph {
  const fields = readFields(bytes, start, end);
  return {
    nodes: fields.filter((f) => f.field === 1).map((f) => readNode(bytes, f.start, f.end)),
    initializers: fields.filter((f) => f.field === 5).map((f) => readTensor(bytes, f.start, f.end)),
  };
}

/** The main graph of an ONNX ModelProto (field 7), with its subgraphs. */
export function readOnnxGraph(bytes: Uint8Array): OnnxGraph {
  const graph = first(readFields(bytes), 7);
  if (!graph) throw new OnnxFormatError('it holds no ONNX graph (ModelProto field 7)');
  return readGraph(bytes, graph.start, graph.end);
}
