import { type AudioFormat, bytesToMs, msToBytes } from '@beluga-voice/core';

interface Chunk {
  readonly bytes: Uint8Array;
  /** On the current socket already; a reconnection makes every chunk unsent again. */
  sent: boolean;
}

/**
 * The user's audio since the last commit, kept so that a reconnection loses none of the turn:
 * what the old socket had and what arrived while there was no socket go out again on the new
 * one. Bounded to `maxMs`: past it the oldest audio is dropped, and the caller is told how much.
 */
export class TurnAudio {
  private chunks: Chunk[] = [];
  private bytes = 0;
  private readonly maxBytes: number;

  constructor(
    private readonly format: AudioFormat,
    readonly maxMs: number,
  ) {
    this.maxBytes = msToBytes(format, maxMs);
  }

  get ms(): number {
    return bytesToMs(this.format, this.bytes);
  }

  /** Keeps a chunk; returns the ms of older audio dropped to stay within `maxMs`. */
  push(bytes: Uint8Array, sent: boolean): number {
    this.chunks.push({ bytes, sent });
    this.bytes += bytes.byteLength;
    let dropped = 0;
    while (this.bytes > this.maxBytes && this.chunks.length > 1) {
      const oldest = this.chunks.shift() as Chunk;
      this.bytes -= oldest.bytes.byteLength;
      dropped += oldest.bytes.byteLength;
    }
    return bytesToMs(this.format, dropped);
  }

  /** The socket went away with its input buffer: everything kept has to be sent again. */
  unsend(): void {
    for (const chunk of this.chunks) chunk.sent = false;
  }

  /** The chunks not on the current socket yet, in order; they count as sent from now on. */
  takeUnsent(): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const chunk of this.chunks) {
      if (chunk.sent) continue;
      chunk.sent = true;
      out.push(chunk.bytes);
    }
    return out;
  }

  /** The turn was committed: its audio, as one buffer, leaves this holder. */
  take(): Uint8Array {
    const all = Buffer.concat(this.chunks.map((c) => c.bytes));
    this.chunks = [];
    this.bytes = 0;
    return new Uint8Array(all.buffer, all.byteOffset, all.byteLength);
  }
}
