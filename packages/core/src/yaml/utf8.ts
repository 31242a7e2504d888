/** Where a file stops being UTF-8. */
export interface Utf8Error {
  /** Byte offset of the first byte of the bad sequence. */
  readonly offset: number;
  readonly byte: number;
  /** 1-based position of that byte in the text before it. */
  readonly line: number;
  readonly column: number;
  /** The file starts with a UTF-16 byte order mark. */
  readonly utf16: boolean;
}

const strict = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes a file as UTF-8, or says where it is not: a file in Latin-1 or UTF-16 decoded leniently
 * would be silently mangled (replacement characters in paths and prompts).
 */
export function decodeUtf8(bytes: Uint8Array): { readonly text: string } | { readonly error: Utf8Error } {
  try {
    return { text: strict.decode(bytes) };
  } catch {
    const offset = firstInvalidSequence(bytes);
    const before = strict.decode(bytes.subarray(0, offset));
    const lineStart = before.lastIndexOf('\n') + 1;
    return {
      error: {
        offset,
        byte: bytes[offset],
        line: before.split('\n').length,
        column: before.length - lineStart + 1,
        utf16: (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff),
      },
    };
  }
}

/** The byte offset where the first ill-formed sequence starts (the Unicode standard's well-formed table). */
function firstInvalidSequence(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead === 0xe0) low = 0xa0;
      if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      if (next === undefined || next < low || next > high) return i;
      low = 0x80;
      high = 0xbf;
    }
    i += length;
  }
  return i;
}
