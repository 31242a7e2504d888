import {
  type AudioEncoding,
  type AudioFormat,
  type AudioFrame,
  allocSamples,
  type Samples,
  sameFormat,
} from '@beluga-voice/core';

/** What happens to samples that do not fill a whole frame at the end (or on a flush). */
export type Remainder = 'pad' | 'partial' | 'drop';

/** The byte value of silence: G.711 has no zero code for 0. */
const SILENCE: Record<AudioEncoding, number> = { pcm16: 0, f32: 0, mulaw: 0xff, alaw: 0xd5 };

export function silentSamples(encoding: AudioEncoding, length: number): Samples {
  const out = allocSamples(encoding, length);
  if (SILENCE[encoding] !== 0) out.fill(SILENCE[encoding]);
  return out;
}

/**
 * Cuts audio into frames of exactly `frameMs` whatever the input chunking. Output timestamps are
 * computed from sample counts (no drift); the timeline restarts at a discontinuity: a `discont` frame,
 * a new format or response, or a timestamp jump of more than half a frame.
 */
export class Reframer {
  private format: AudioFormat | undefined;
  private size = 0;
  private pending: Samples | undefined;
  private filled = 0;
  private baseTimestamp = 0;
  private emittedFrames = 0;
  private consumedFrames = 0;
  private responseId: string | undefined;
  private discontNext = false;

  constructor(
    private readonly frameMs: number,
    private readonly remainder: Remainder,
  ) {}

  push(frame: AudioFrame): AudioFrame[] {
    const out: AudioFrame[] = [];
    if (this.format && this.breaksTimeline(frame)) {
      this.flushInto(out, this.remainder);
      this.format = undefined;
    }
    if (!this.format) this.start(frame);
    const input = frame.samples;
    let at = 0;
    while (at < input.length) {
      const take = Math.min(this.size - this.filled, input.length - at);
      (this.pending as Samples).set(input.subarray(at, at + take) as never, this.filled);
      this.filled += take;
      at += take;
      if (this.filled === this.size) this.emit(out, this.pending as Samples);
    }
    this.consumedFrames += input.length / frame.format.channels;
    return out;
  }

  /** End of input: what is left, as the remainder policy says. */
  end(): AudioFrame[] {
    const out: AudioFrame[] = [];
    this.flushInto(out, this.remainder);
    return out;
  }

  /** On an interrupt: `flush` emits what is pending now, `discard` drops it; the next frame is a discontinuity. */
  interrupt(mode: 'flush' | 'discard'): AudioFrame[] {
    const out: AudioFrame[] = [];
    this.flushInto(out, mode === 'flush' ? this.remainder : 'drop');
    this.format = undefined;
    this.discontNext = true;
    return out;
  }

  private breaksTimeline(frame: AudioFrame): boolean {
    const format = this.format as AudioFormat;
    if (frame.discont || frame.responseId !== this.responseId || !sameFormat(format, frame.format)) return true;
    const expected = this.baseTimestamp + (this.consumedFrames * 1000) / format.sampleRate;
    return Math.abs(frame.timestamp - expected) > this.frameMs / 2;
  }

  private start(frame: AudioFrame): void {
    this.format = frame.format;
    this.size = Math.max(1, Math.round((this.frameMs * frame.format.sampleRate) / 1000)) * frame.format.channels;
    this.pending = allocSamples(frame.format.encoding, this.size);
    this.filled = 0;
    this.baseTimestamp = frame.timestamp;
    this.emittedFrames = 0;
    this.consumedFrames = 0;
    this.responseId = frame.responseId;
    this.discontNext ||= frame.discont === true;
  }

  private flushInto(out: AudioFrame[], remainder: Remainder): void {
    if (!this.format || this.filled === 0 || remainder === 'drop') {
      this.filled = 0;
      return;
    }
    const pending = this.pending as Samples;
    if (remainder === 'partial') {
      this.emit(out, pending.slice(0, this.filled));
      return;
    }
    const padded = silentSamples(this.format.encoding, this.size);
    padded.set(pending.subarray(0, this.filled) as never);
    this.emit(out, padded);
  }

  private emit(out: AudioFrame[], samples: Samples): void {
    const format = this.format as AudioFormat;
    const timestamp = this.baseTimestamp + (this.emittedFrames * 1000) / format.sampleRate;
    out.push({
      kind: 'audio',
      timestamp,
      format,
      samples,
      ...(this.discontNext ? { discont: true } : {}),
      ...(this.responseId !== undefined ? { responseId: this.responseId } : {}),
    });
    this.discontNext = false;
    this.emittedFrames += samples.length / format.channels;
    this.filled = 0;
    this.pending = allocSamples(format.encoding, this.size);
  }
}
