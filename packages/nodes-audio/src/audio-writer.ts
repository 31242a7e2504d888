import { type FileHandle, open } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { type AudioFormat, type Samples, samplesToBytes } from '@beluga-voice/core';
import { wavHeader } from '@beluga-voice/core/audio';
import { openError } from './audio-reader.js';

/** Where a sink puts samples. Writes are serialized; `close` waits for them. */
export interface AudioWriter {
  /** Sample bytes written so far (headers excluded). */
  readonly bytesWritten: number;
  write(samples: Samples): Promise<void>;
  close(): Promise<void>;
}

/**
 * A WAV file written as it streams. The header is valid from the first byte on and its sizes are
 * rewritten after every write, so the file is correct after a normal stop, an abort, an error, or
 * even a crashed process.
 */
export class WavWriter implements AudioWriter {
  private dataBytes = 0;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly handle: FileHandle,
    private readonly format: AudioFormat,
    private readonly headerSize: number,
  ) {}

  static async open(path: string, format: AudioFormat): Promise<WavWriter> {
    const handle = await open(path, 'w').catch((error) => {
      throw openError(path, error);
    });
    const header = wavHeader(format, 0);
    await handle.write(header, 0, header.length, 0);
    return new WavWriter(handle, format, header.length);
  }

  get bytesWritten(): number {
    return this.dataBytes;
  }

  write(samples: Samples): Promise<void> {
    return this.enqueue(async () => {
      const bytes = samplesToBytes(samples);
      await this.handle.write(bytes, 0, bytes.length, this.headerSize + this.dataBytes);
      this.dataBytes += bytes.length;
      const header = wavHeader(this.format, this.dataBytes);
      await this.handle.write(header, 0, header.length, 0);
    });
  }

  close(): Promise<void> {
    return this.enqueue(async () => {
      if (this.closed) return;
      this.closed = true;
      // RIFF chunks are word-aligned: an odd-sized data chunk is followed by a pad byte.
      if (this.dataBytes & 1) await this.handle.write(new Uint8Array(1), 0, 1, this.headerSize + this.dataBytes);
      await this.handle.close();
    });
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    if (this.closed) return Promise.reject(new Error('write after close'));
    const next = this.chain.then(step);
    this.chain = next.catch(() => undefined);
    return next;
  }
}

/** Raw samples, no header, into a file. */
export class RawFileWriter implements AudioWriter {
  private written = 0;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(private readonly handle: FileHandle) {}

  static async open(path: string): Promise<RawFileWriter> {
    const handle = await open(path, 'w').catch((error) => {
      throw openError(path, error);
    });
    return new RawFileWriter(handle);
  }

  get bytesWritten(): number {
    return this.written;
  }

  write(samples: Samples): Promise<void> {
    if (this.closed) return Promise.reject(new Error('write after close'));
    const next = this.chain.then(async () => {
      const bytes = samplesToBytes(samples);
      await this.handle.write(bytes, 0, bytes.length, this.written);
      this.written += bytes.length;
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  close(): Promise<void> {
    if (this.closed) return this.chain;
    this.closed = true;
    return (this.chain = this.chain.then(() => this.handle.close()));
  }
}

/**
 * Samples into a stream such as stdout, which cannot seek: raw, or WAV with the "unknown length"
 * sizes streaming readers (ffmpeg, sox) accept. Each write settles once the stream has taken it.
 */
export class StreamWriter implements AudioWriter {
  private written = 0;
  private headerPending: Uint8Array | undefined;

  constructor(
    private readonly stream: Writable,
    format?: AudioFormat,
  ) {
    this.headerPending = format ? wavHeader(format) : undefined;
  }

  get bytesWritten(): number {
    return this.written;
  }

  async write(samples: Samples): Promise<void> {
    if (this.headerPending) {
      await this.put(this.headerPending);
      this.headerPending = undefined;
    }
    const bytes = samplesToBytes(samples);
    await this.put(bytes);
    this.written += bytes.length;
  }

  async close(): Promise<void> {}

  /** Settles once the stream has taken the bytes, which holds the writer back while the reader is slow. */
  private put(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      this.stream.write(bytes, (error) => (error ? reject(error) : resolve()));
    });
  }
}
