import type { AudioEncoding, AudioFormat } from '../audio-format.js';

/** How one sample is stored in a WAV data chunk. */
export type WavSampleCoding = 'u8' | 's16' | 's24' | 's32' | 'f32' | 'f64' | 'mulaw' | 'alaw';

export interface WavInfo {
  readonly sampleRate: number;
  readonly channels: number;
  readonly coding: WavSampleCoding;
  /** `RIFX` files store samples big-endian. */
  readonly bigEndian: boolean;
  /** Bytes per sample frame (all channels). */
  readonly blockAlign: number;
  /** Byte offset of the first sample in the file. */
  readonly dataOffset: number;
  readonly dataBytes: number;
  /** Sample frames (one sample per channel) in the data chunk. */
  readonly frames: number;
  readonly durationMs: number;
}

/** Thrown for a file that is not a WAV file this reader can decode; the message names the file. */
export class WavFormatError extends Error {
  override readonly name = 'WavFormatError';
}

const FORMAT_PCM = 0x0001;
const FORMAT_FLOAT = 0x0003;
const FORMAT_ALAW = 0x0006;
const FORMAT_MULAW = 0x0007;
const FORMAT_EXTENSIBLE = 0xfffe;
/**
 * The highest rate real recordings use (DXD and 768 kHz studio formats). A header beyond it is
 * corrupt, and believing it would size frames and resampler buffers in gigabytes.
 */
export const MAX_SAMPLE_RATE = 768_000;
/** Writers that stream (and cannot seek back) put this in size fields: "until the end of the file". */
export const WAV_UNKNOWN_SIZE = 0xffffffff;

const KNOWN_TAGS: Record<number, string> = {
  2: 'Microsoft ADPCM',
  17: 'IMA ADPCM',
  49: 'GSM 6.10',
  80: 'MPEG',
  85: 'MPEG layer 3',
};

/** Random access to the first bytes of a file, enough to walk its chunk headers. */
export type ReadAt = (offset: number, length: number) => Uint8Array;

function fourCC(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
}

function codingOf(tag: number, bits: number): WavSampleCoding | undefined {
  if (tag === FORMAT_PCM) {
    return bits === 8 ? 'u8' : bits === 16 ? 's16' : bits === 24 ? 's24' : bits === 32 ? 's32' : undefined;
  }
  if (tag === FORMAT_FLOAT) return bits === 32 ? 'f32' : bits === 64 ? 'f64' : undefined;
  if (tag === FORMAT_MULAW && bits === 8) return 'mulaw';
  if (tag === FORMAT_ALAW && bits === 8) return 'alaw';
  return undefined;
}

function describeTag(tag: number): string {
  const hex = `0x${tag.toString(16).padStart(4, '0')}`;
  return KNOWN_TAGS[tag] ? `${hex}: ${KNOWN_TAGS[tag]}` : hex;
}

interface Fmt {
  readonly tag: number;
  readonly channels: number;
  readonly sampleRate: number;
  readonly blockAlign: number;
  readonly bits: number;
}

function parseFmt(body: Uint8Array, bigEndian: boolean, name: string): Fmt {
  if (body.length < 16) throw new WavFormatError(`${name}: "fmt " chunk is ${body.length} bytes, expected at least 16`);
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const le = !bigEndian;
  let tag = view.getUint16(0, le);
  const channels = view.getUint16(2, le);
  const sampleRate = view.getUint32(4, le);
  const blockAlign = view.getUint16(12, le);
  const bits = view.getUint16(14, le);
  if (tag === FORMAT_EXTENSIBLE) {
    if (body.length < 40) throw new WavFormatError(`${name}: WAVE_FORMAT_EXTENSIBLE "fmt " chunk is truncated`);
    // The sub-format GUID starts with the classic format tag.
    tag = view.getUint16(24, le);
  }
  return { tag, channels, sampleRate, blockAlign, bits };
}

/**
 * Walks the RIFF (or big-endian RIFX) chunks of a WAV file and describes its sample data.
 * `name` is used in error messages; `fileSize` detects truncation.
 */
export function parseWavHeader(readAt: ReadAt, fileSize: number, name: string): WavInfo {
  const head = readAt(0, 12);
  if (head.length < 12) throw new WavFormatError(`${name}: not a WAV file (${fileSize} bytes, too short for a header)`);
  const riff = fourCC(head, 0);
  if ((riff !== 'RIFF' && riff !== 'RIFX') || fourCC(head, 8) !== 'WAVE') {
    const what = riff === 'RF64' ? 'RF64 (64-bit WAV) is not supported' : 'no RIFF/WAVE header';
    throw new WavFormatError(`${name}: not a WAV file (${what})`);
  }
  const bigEndian = riff === 'RIFX';
  let fmt: Fmt | undefined;
  let data: { offset: number; size: number } | undefined;
  let offset = 12;
  while (offset + 8 <= fileSize && !(fmt && data)) {
    const header = readAt(offset, 8);
    if (header.length < 8) break;
    const id = fourCC(header, 0);
    const size = new DataView(header.buffer, header.byteOffset, 8).getUint32(4, !bigEndian);
    const body = offset + 8;
    if (id === 'fmt ') fmt = parseFmt(readAt(body, Math.min(size, 64)), bigEndian, name);
    if (id === 'data') {
      const available = fileSize - body;
      if (size === WAV_UNKNOWN_SIZE) data = { offset: body, size: available };
      else if (size > available) {
        throw new WavFormatError(
          `${name}: truncated: the data chunk declares ${size} bytes but only ${available} follow`,
        );
      } else data = { offset: body, size };
      if (size === WAV_UNKNOWN_SIZE) break;
    }
    offset = body + size + (size & 1);
  }
  if (!fmt) throw new WavFormatError(`${name}: corrupt WAV file: no "fmt " chunk`);
  if (!data) throw new WavFormatError(`${name}: corrupt or truncated WAV file: no "data" chunk`);
  const coding = codingOf(fmt.tag, fmt.bits);
  if (!coding) {
    throw new WavFormatError(
      `${name}: unsupported WAV encoding (format tag ${describeTag(fmt.tag)}, ${fmt.bits} bits); supported: PCM 8/16/24/32-bit, IEEE float 32/64-bit, μ-law, A-law (use container: compressed to decode it with ffmpeg)`,
    );
  }
  if (fmt.channels === 0 || fmt.sampleRate === 0) {
    throw new WavFormatError(`${name}: corrupt WAV header: ${fmt.channels} channels at ${fmt.sampleRate} Hz`);
  }
  if (fmt.sampleRate > MAX_SAMPLE_RATE) {
    throw new WavFormatError(
      `${name}: corrupt WAV header: sample rate ${fmt.sampleRate} Hz is above the ${MAX_SAMPLE_RATE} Hz any audio file uses`,
    );
  }
  const expectedAlign = (fmt.bits / 8) * fmt.channels;
  if (fmt.blockAlign !== expectedAlign) {
    throw new WavFormatError(
      `${name}: corrupt WAV header: block align ${fmt.blockAlign}, expected ${expectedAlign} for ${fmt.channels} × ${fmt.bits} bits`,
    );
  }
  const frames = Math.floor(data.size / fmt.blockAlign);
  return {
    sampleRate: fmt.sampleRate,
    channels: fmt.channels,
    coding,
    bigEndian,
    blockAlign: fmt.blockAlign,
    dataOffset: data.offset,
    dataBytes: frames * fmt.blockAlign,
    frames,
    durationMs: (frames / fmt.sampleRate) * 1000,
  };
}

const TAG_OF: Record<AudioEncoding, { tag: number; bits: number }> = {
  pcm16: { tag: FORMAT_PCM, bits: 16 },
  f32: { tag: FORMAT_FLOAT, bits: 32 },
  mulaw: { tag: FORMAT_MULAW, bits: 8 },
  alaw: { tag: FORMAT_ALAW, bits: 8 },
};

/** Size of the header `wavHeader` writes for `encoding` (non-PCM files carry a `fact` chunk). */
export function wavHeaderSize(encoding: AudioEncoding): number {
  return encoding === 'pcm16' ? 44 : 58;
}

/**
 * A canonical little-endian header for `dataBytes` bytes of samples, or for a stream of unknown
 * length when `dataBytes` is undefined. Sizes count the pad byte a RIFF chunk of odd size needs.
 */
export function wavHeader(format: AudioFormat, dataBytes?: number): Uint8Array {
  const { tag, bits } = TAG_OF[format.encoding];
  const size = wavHeaderSize(format.encoding);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  const ascii = (at: number, text: string) => {
    for (let i = 0; i < 4; i++) out[at + i] = text.charCodeAt(i);
  };
  const blockAlign = (bits / 8) * format.channels;
  const known = dataBytes !== undefined;
  const riffSize = known ? size - 8 + dataBytes + (dataBytes & 1) : WAV_UNKNOWN_SIZE;
  ascii(0, 'RIFF');
  view.setUint32(4, Math.min(riffSize, WAV_UNKNOWN_SIZE), true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  const pcm = format.encoding === 'pcm16';
  view.setUint32(16, pcm ? 16 : 18, true);
  view.setUint16(20, tag, true);
  view.setUint16(22, format.channels, true);
  view.setUint32(24, format.sampleRate, true);
  view.setUint32(28, format.sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, bits, true);
  let at = 36;
  if (!pcm) {
    view.setUint16(36, 0, true);
    ascii(38, 'fact');
    view.setUint32(42, 4, true);
    view.setUint32(46, known ? Math.floor(dataBytes / blockAlign) : WAV_UNKNOWN_SIZE, true);
    at = 50;
  }
  ascii(at, 'data');
  view.setUint32(at + 4, known ? dataBytes : WAV_UNKNOWN_SIZE, true);
  return out;
}
