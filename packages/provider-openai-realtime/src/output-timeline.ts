import { type AudioFormat, type AudioFrame, bytesToMs, bytesToSamples } from '@beluga-voice/core';

/**
 * The assistant's audio as one stream of frames: timestamps run on across responses, and the
 * first frame after a cut is marked `discont` so that playback drops what it still holds.
 */
export class OutputTimeline {
  private positionMs = 0;
  private discontNext = false;

  constructor(private readonly format: AudioFormat) {}

  /** The bytes of a base64 delta that make whole samples; undefined for an empty delta. */
  decode(base64: string): Uint8Array | undefined {
    const bytes = Buffer.from(base64, 'base64');
    if (bytes.byteLength === 0) return undefined;
    return bytes.subarray(0, bytes.byteLength - (bytes.byteLength % (this.format.encoding === 'pcm16' ? 2 : 1)));
  }

  /** The next frame, at the end of the stream so far. */
  frame(bytes: Uint8Array, responseId: string): AudioFrame {
    const frame: AudioFrame = {
      kind: 'audio',
      timestamp: this.positionMs,
      format: this.format,
      samples: bytesToSamples(this.format.encoding, bytes),
      responseId,
      ...(this.discontNext ? { discont: true } : {}),
    };
    this.discontNext = false;
    this.positionMs += bytesToMs(this.format, bytes.byteLength);
    return frame;
  }

  /** Playback was cut: the next frame starts a new run. */
  cut(): void {
    this.discontNext = true;
  }
}
