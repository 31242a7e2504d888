/**
 * The protocol-buffers wire format, as far as ONNX files need it: varints, length-delimited
 * fields (messages, strings, bytes, packed numbers) and the fixed 32/64-bit fields, skipped or read.
 */

/** One field of a message: a varint's value, or where a length-delimited or fixed-size payload lies. */
export interface ProtoField {
  readonly field: number;
  /** 0 varint, 1 fixed 64-bit, 2 length-delimited, 5 fixed 32-bit. */
  readonly wire: number;
  /** Value of a varint field (wire 0). */
  readonly varint: bigint;
  /** Payload bounds in the buffer (wire 1, 2 and 5). */
  readonly start: number;
  readonly end: number;
}

export class ProtoError extends Error {}

/** Reads a varint at `at`; returns its value and the offset after it. */
function readVarint(bytes: Uint8Array, at: number, end: number): [bigint, number] {
  let value = 0n;
  for (let shift = 0n; shift < 70n; shift += 7n) {
    if (at >= end) throw new ProtoError(`a varint runs past the end of its message at byte ${at}`);
    const byte = bytes[at++];
    value |= BigInt(byte & 0x7f) << shift;
    if (byte < 0x80) return [value, at];
  }
  throw new ProtoError(`a varint longer than 10 bytes ends at byte ${at}`);
}

/** The fields of the message in `bytes[start, end)`, in file order. */
export function readFields(bytes: Uint8Array, start = 0, end = bytes.length): ProtoField[] {
  const fields: ProtoField[] = [];
  let at = start;
  while (at < end) {
    const [key, next] = readVarint(bytes, at, end);
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    at = next;
    if (wire === 0) {
      const [varint, after] = readVarint(bytes, at, end);
      fields.push({ field, wire, varint, start: at, end: after });
      at = after;
      continue;
    }
    let length: number;
    if (wire === 2) {
      const [n, after] = readVarint(bytes, at, end);
      length = Number(n);
      at = after;
    } else if (wire === 1) length = 8;
    else if (wire === 5) length = 4;
    else throw new ProtoError(`field ${field} has wire type ${wire} (groups are not used by ONNX) at byte ${at}`);
    if (at + length > end) throw new ProtoError(`field ${field} runs past the end of its message at byte ${at}`);
    fields.push({ field, wire, varint: 0n, start: at, end: at + length });
    at += length;
  }
  return fields;
}

/** The values of a repeated integer field, packed (one length-delimited payload) or not. */
export function readInts(bytes: Uint8Array, fields: readonly ProtoField[], field: number): number[] {
  const out: number[] = [];
  for (const f of fields) {
    if (f.field !== field) continue;
    if (f.wire === 0) out.push(Number(BigInt.asIntN(64, f.varint)));
    else if (f.wire === 2) {
      for (let at = f.start; at < f.end; ) {
        const [v, next] = readVarint(bytes, at, f.end);
        out.push(Number(BigInt.asIntN(64, v)));
        at = next;
      }
    }
  }
  return out;
}

const utf8 = new TextDecoder();

/** A length-delimited field as UTF-8 text. */
export function readString(bytes: Uint8Array, f: ProtoField): string {
  return utf8.decode(bytes.subarray(f.start, f.end));
}
