import type { AudioFormat, Samples } from '@beluga-voice/core';

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

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a parent is not a directory',
};

/** `cannot open ./x.wav: no such file`, from a Node file-system error. */
export function openError(path: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = (code && REASONS[code]) ?? (error instanceof Error ? error.message : String(error));
  return new Error(`cannot open ${path}: ${reason}`);
}
