import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { AudioFormat, Samples } from '@beluga-voice/core';
import prism from 'prism-media';
import type { AudioReader } from './audio-reader.js';

const STDERR_LIMIT = 4096;

/** Throws a clear error when no ffmpeg binary can be found (prism-media looks on the PATH). */
export function ensureFfmpeg(): void {
  try {
    prism.FFmpeg.getInfo();
  } catch {
    throw new Error(
      'ffmpeg not found on the PATH: install it (e.g. apt-get install ffmpeg) to decode compressed audio',
    );
  }
}

/** Decoded bytes ffmpeg may get ahead of the reader before its output is paused. */
const HIGH_WATER = 256 * 1024;

interface Transcode {
  readonly child: ChildProcess;
  readonly stdout: Readable;
  readonly exited: Promise<number | null>;
  readonly chunks: Buffer[];
  buffered: number;
  stderr: string;
  ended: boolean;
  failed?: Error;
  wake?: () => void;
}

/** Decodes any file ffmpeg reads (mp3, ogg/opus, m4a…) to pcm16 or f32 at the configured rate and channel count. */
export class FfmpegReader implements AudioReader {
  private current: Transcode;
  private closed = false;

  constructor(
    private readonly path: string,
    readonly format: AudioFormat,
  ) {
    this.current = this.spawn();
  }

  /** The running ffmpeg child's process id (for diagnostics and tests). */
  get pid(): number | undefined {
    return this.current.child.pid;
  }

  async read(frames: number): Promise<Samples | undefined> {
    const t = this.current;
    const sampleBytes = this.format.encoding === 'f32' ? 4 : 2;
    const size = frames * this.format.channels * sampleBytes;
    while (t.buffered < size && !t.ended && !t.failed) {
      await new Promise<void>((resolve) => {
        t.wake = resolve;
      });
    }
    if (t.failed) throw t.failed;
    const take = Math.min(size, t.buffered - (t.buffered % sampleBytes));
    if (take === 0) {
      const code = await t.exited;
      if (code !== 0 && !this.closed) {
        const detail = t.stderr.trim().split('\n').pop() || `exit code ${code}`;
        throw new Error(`ffmpeg could not decode ${this.path}: ${detail}`);
      }
      return undefined;
    }
    const out = new Uint8Array(take);
    let at = 0;
    while (at < take) {
      const head = t.chunks[0];
      const n = Math.min(head.length, take - at);
      out.set(head.subarray(0, n), at);
      at += n;
      if (n === head.length) t.chunks.shift();
      else t.chunks[0] = head.subarray(n);
    }
    t.buffered -= take;
    if (t.buffered < HIGH_WATER && t.stdout.isPaused()) t.stdout.resume();
    return this.format.encoding === 'f32' ? new Float32Array(out.buffer) : new Int16Array(out.buffer);
  }

  async rewind(): Promise<void> {
    await this.kill(this.current);
    this.current = this.spawn();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.kill(this.current);
  }

  private spawn(): Transcode {
    const codec = this.format.encoding === 'f32' ? 'f32le' : 's16le';
    const transcoder = new prism.FFmpeg({
      args: [
        '-hide_banner',
        '-nostdin',
        '-loglevel',
        'error',
        '-i',
        this.path,
        '-vn',
        '-f',
        codec,
        '-acodec',
        `pcm_${codec}`,
        '-ar',
        String(this.format.sampleRate),
        '-ac',
        String(this.format.channels),
      ],
    });
    const child = transcoder.process;
    const stdout = child.stdout as Readable;
    const t: Transcode = {
      child,
      stdout,
      chunks: [],
      buffered: 0,
      stderr: '',
      ended: false,
      exited: new Promise((resolve) => child.once('close', (code) => resolve(code))),
    };
    const wake = () => {
      const w = t.wake;
      t.wake = undefined;
      w?.();
    };
    child.stderr?.on('data', (data: Buffer) => {
      if (t.stderr.length < STDERR_LIMIT) t.stderr += data.toString('utf8');
    });
    stdout.on('data', (chunk: Buffer) => {
      t.chunks.push(chunk);
      t.buffered += chunk.length;
      if (t.buffered >= HIGH_WATER) stdout.pause();
      wake();
    });
    stdout.once('end', () => {
      t.ended = true;
      wake();
    });
    child.once('error', (error) => {
      t.failed = new Error(`cannot run ffmpeg for ${this.path}: ${error.message}`);
      wake();
    });
    return t;
  }

  private async kill(t: Transcode): Promise<void> {
    if (t.child.exitCode === null && t.child.signalCode === null) t.child.kill('SIGKILL');
    t.stdout.destroy();
    await t.exited;
  }
}
