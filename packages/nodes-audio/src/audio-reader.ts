import { type AudioFormat, fileErrorReason, type Samples } from '@beluga-voice/core';

/** Pull-based access to decoded audio: what the file source paces out. */
export interface AudioReader {
  readonly format: AudioFormat;
  /** Sample frames in the whole input, when known without decoding it (not for compressed files). */
  readonly totalFrames?: number;
  /** Up to `frames` sample frames (one sample per channel), or `undefined` at the end. */
  read(frames: number): Promise<Samples | undefined>;
  /** Starts again from the first sample (for `loop`). */
  rewind(): Promise<void>;
  /** Releases the file handle or child process; safe to call twice. */
  close(): Promise<void>;
}

/** `cannot open ./x.wav: no such file`, from a Node file-system error. */
export function openError(path: string, error: unknown): Error {
  return new Error(`cannot open ${path}: ${fileErrorReason(error)}`);
}
