import { type AudioFormat, msToBytes } from '@beluga-voice/core';

/**
 * Regroups input audio into `input_audio_buffer.append` payloads of `minMs`..`maxMs`: tiny frames
 * cost one JSON event each, huge ones delay the server VAD. `push` hands out full `maxMs` chunks
 * at once; `drain` (run when a burst of frames is over) hands out the rest once it is `minMs`
 * long, so live audio goes out every frame and a file read in a burst goes out in large chunks.
 */
export class AudioChunker {
  private readonly minBytes: number;
  private readonly maxBytes: number;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;

  constructor(format: AudioFormat, minMs = 20, maxMs = 100) {
    this.minBytes = msToBytes(format, minMs);
    this.maxBytes = msToBytes(format, maxMs);
  }

  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  /** Adds bytes; returns the full `maxMs` chunks now ready. */
  push(bytes: Uint8Array): Uint8Array[] {
    if (bytes.byteLength === 0) return [];
    this.pending.push(bytes);
    this.pendingBytes += bytes.byteLength;
    if (this.pendingBytes < this.maxBytes) return [];
    const all = this.take();
    const out: Uint8Array[] = [];
    let offset = 0;
    while (all.byteLength - offset >= this.maxBytes) {
      out.push(all.subarray(offset, offset + this.maxBytes));
      offset += this.maxBytes;
    }
    if (offset < all.byteLength) this.keep(all.subarray(offset));
    return out;
  }

  /** What is held, if it is at least `minMs` long (it is shorter than `maxMs`). */
  drain(): Uint8Array | undefined {
    return this.pendingBytes >= this.minBytes ? this.take() : undefined;
  }

  /** Whatever is held, however short (before a commit). */
  flush(): Uint8Array | undefined {
    return this.pendingBytes === 0 ? undefined : this.take();
  }

  clear(): void {
    this.pending = [];
    this.pendingBytes = 0;
  }

  private take(): Uint8Array {
    const all = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
    this.clear();
    return all;
  }

  private keep(bytes: Uint8Array): void {
    this.pending = [bytes];
    this.pendingBytes = bytes.byteLength;
  }
}

/**
 * The shortest append for a session. With the server's VAD on, audio goes out every frame (the
 * server hears speech end as soon as it can). With it off, a local VAD or the caller commits each
 * turn, flushing what is held first, so appends can wait for 100 ms: five times fewer messages
 * and syscalls, and no added latency.
 */
export function appendMinMs(turnDetection: { readonly type: string }): number {
  return turnDetection.type === 'none' ? 100 : 20;
}
