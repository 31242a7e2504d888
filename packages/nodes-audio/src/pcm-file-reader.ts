import type { FileHandle } from 'node:fs/promises';
import type { AudioFormat, Samples } from '@beluga-voice/core';
import { type DecodeTarget, decodeSamples, type WavSampleCoding } from '@beluga-voice/core/audio';
import type { AudioReader } from './audio-reader.js';

export interface PcmRegion {
  /** Byte offset of the first sample. */
  readonly offset: number;
  readonly bytes: number;
  readonly coding: WavSampleCoding;
  readonly bigEndian: boolean;
  readonly sampleRate: number;
  readonly channels: number;
}

const READ_AHEAD = 64 * 1024;

/** Reads uncompressed samples from a region of an open file (a WAV data chunk or a whole raw file). */
export class PcmFileReader implements AudioReader {
  readonly format: AudioFormat;
  readonly totalFrames: number;
  private readonly blockAlign: number;
  private readonly end: number;
  private position: number;
  private buffer = new Uint8Array(0);
  private bufferStart = 0;
  private closed = false;

  constructor(
    private readonly handle: FileHandle,
    private readonly region: PcmRegion,
    private readonly target: DecodeTarget,
    bytesPerSample: number,
    encoding: AudioFormat['encoding'],
  ) {
    this.blockAlign = bytesPerSample * region.channels;
    this.end = region.offset + region.bytes - (region.bytes % this.blockAlign);
    this.totalFrames = Math.floor(region.bytes / this.blockAlign);
    this.position = region.offset;
    this.format = { encoding, sampleRate: region.sampleRate, channels: region.channels };
  }

  async read(frames: number): Promise<Samples | undefined> {
    const want = frames * this.blockAlign;
    if (this.buffer.length - this.bufferStart < want && this.position < this.end) await this.fill(want);
    const available = this.buffer.length - this.bufferStart;
    const take = Math.min(want, available - (available % this.blockAlign));
    if (take === 0) return undefined;
    const bytes = this.buffer.subarray(this.bufferStart, this.bufferStart + take);
    this.bufferStart += take;
    return decodeSamples(bytes, this.region.coding, this.region.bigEndian, this.target);
  }

  async rewind(): Promise<void> {
    this.position = this.region.offset;
    this.buffer = new Uint8Array(0);
    this.bufferStart = 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }

  private async fill(want: number): Promise<void> {
    const rest = this.buffer.subarray(this.bufferStart);
    const size = Math.min(Math.max(want, READ_AHEAD), this.end - this.position);
    const next = new Uint8Array(rest.length + size);
    next.set(rest);
    const { bytesRead } = await this.handle.read(next, rest.length, size, this.position);
    this.position += bytesRead;
    this.buffer = next.subarray(0, rest.length + bytesRead);
    this.bufferStart = 0;
  }
}
