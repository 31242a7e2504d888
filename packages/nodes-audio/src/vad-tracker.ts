import {
  type AudioFrame,
  audioDurationMs,
  type Frame,
  type SpeechStartFrame,
  type SpeechStopFrame,
} from '@beluga-voice/core';
import { downmixInto } from './channel-mix.js';
import { type SpeechEvent, SpeechSegmenter, type WindowDecision } from './speech-segmenter.js';

export interface VadTrackerOptions {
  /** Node id, stamped as `source` on speech frames. */
  readonly source: string;
  /** Names the node in error messages, e.g. `audio.vad-energy "vad"`. */
  readonly label: string;
  readonly minSpeechMs: number;
  readonly minSilenceMs: number;
  /** With `gate`: audio before the onset that is still let through when speech starts. */
  readonly prefixPaddingMs: number;
  /** Pass only speech audio (with its prefix padding) instead of everything. */
  readonly gate: boolean;
  /**
   * Called when a stream starts or restarts (first frame, `discont`, new rate) whose first sample
   * is at `timestampMs`: prepares the classifier for `sampleRate` and returns its window length in
   * samples; throws for a rate the VAD cannot use.
   */
  readonly startStream: (sampleRate: number, timestampMs: number) => number;
  /**
   * Moves a boundary the segmenter placed on window edges to where the classifier finds it
   * (e.g. on the signal's level); called when the event is emitted.
   */
  readonly placeBoundary?: (event: SpeechEvent) => number;
}

/** One analysis window: a view into the tracker's buffer, valid until the next `accept`. */
export interface AnalysisWindow {
  readonly samples: Float32Array;
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * Glue between audio frames and a window classifier: cuts the audio (down-mixed to mono floats)
 * into fixed analysis windows whatever the frame sizes, runs the decisions through a
 * `SpeechSegmenter`, and builds the output: speech frames in stream order, followed by the audio
 * (every frame, or with `gate` only speech and its prefix padding).
 *
 * Per frame the caller does `accept(frame)`, classifies the windows it returns (possibly
 * asynchronously), then `complete(frame, windows, decisions)`. A `discont` frame closes open speech and
 * restarts the window timeline at that frame.
 */
export class VadTracker {
  private readonly segmenter: SpeechSegmenter;
  private buffer = new Float32Array(4096);
  /** Mono samples in `buffer` not yet part of a window. */
  private carried = 0;
  private sampleRate = 0;
  private windowSize = 0;
  /** Timeline of the windows: timestamp of the first sample, and samples consumed since. */
  private baseMs = 0;
  private consumed = 0;
  private started = false;
  /** With `gate`: recent audio held while there is no speech, for the prefix padding. */
  private held: AudioFrame[] = [];
  /** Speech closed by a restart in `accept`, emitted first by the next `complete`. */
  private restartEvents: Frame[] = [];
  /** Time of the last speech-stop: a placed onset never goes before it. */
  private lastStopMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: VadTrackerOptions) {
    this.segmenter = new SpeechSegmenter(options);
  }

  /** Adds a frame's audio; returns the complete windows to classify, in order. */
  accept(frame: AudioFrame): AnalysisWindow[] {
    const { format } = frame;
    if (format.encoding !== 'pcm16' && format.encoding !== 'f32') {
      throw new TypeError(
        `${this.options.label}: cannot read ${format.encoding} audio (decode it to pcm16 or f32 first)`,
      );
    }
    if (!this.started || frame.discont || format.sampleRate !== this.sampleRate) this.restart(frame);
    const frames = frame.samples.length / format.channels;
    if (this.buffer.length < this.carried + frames) {
      const grown = new Float32Array(2 * (this.carried + frames));
      grown.set(this.buffer.subarray(0, this.carried));
      this.buffer = grown;
    }
    downmixInto(frame.samples as Int16Array | Float32Array, format.channels, this.buffer, this.carried, 1);
    const available = this.carried + frames;
    const windows: AnalysisWindow[] = [];
    const msPerSample = 1000 / this.sampleRate;
    for (let offset = 0; offset + this.windowSize <= available; offset += this.windowSize) {
      const start = this.consumed + windows.length * this.windowSize;
      windows.push({
        samples: this.buffer.subarray(offset, offset + this.windowSize),
        startMs: this.baseMs + start * msPerSample,
        endMs: this.baseMs + (start + this.windowSize) * msPerSample,
      });
    }
    this.carried = available;
    return windows;
  }

  /** Applies the decisions for the windows `accept` returned; returns the frames to emit. */
  complete(frame: AudioFrame, windows: readonly AnalysisWindow[], decisions: readonly WindowDecision[]): Frame[] {
    const out = this.restartEvents;
    this.restartEvents = [];
    let open = this.segmenter.speaking;
    for (let i = 0; i < windows.length; i++) {
      const pushed = this.segmenter.push(decisions[i], windows[i].startMs, windows[i].endMs);
      if (!pushed) continue;
      const event = this.place(pushed);
      out.push(this.speechFrame(event));
      if (event.kind === 'speech-start' && this.options.gate) {
        out.push(...this.releaseHeld(event.timestamp));
      }
      open ||= event.kind === 'speech-start';
    }
    const used = windows.length * this.windowSize;
    this.buffer.copyWithin(0, used, this.carried);
    this.carried -= used;
    this.consumed += used;
    if (!this.options.gate || open) out.push(frame);
    else this.hold(frame);
    return out;
  }

  /** Closes open speech at the end of the stream. */
  end(): Frame[] {
    const event = this.segmenter.end();
    this.held = [];
    return event ? [this.speechFrame(this.place(event))] : [];
  }

  private place(event: SpeechEvent): SpeechEvent {
    const placed = this.options.placeBoundary?.(event) ?? event.timestamp;
    if (event.kind === 'speech-stop') {
      this.lastStopMs = placed;
      return { kind: event.kind, timestamp: placed };
    }
    return { kind: event.kind, timestamp: Math.max(placed, this.lastStopMs) };
  }

  private restart(frame: AudioFrame): void {
    this.restartEvents = this.end();
    this.lastStopMs = Number.NEGATIVE_INFINITY;
    this.sampleRate = frame.format.sampleRate;
    try {
      this.windowSize = this.options.startStream(this.sampleRate, frame.timestamp);
    } catch (error) {
      throw new RangeError(`${this.options.label}: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.baseMs = frame.timestamp;
    this.consumed = 0;
    this.carried = 0;
    this.started = true;
  }

  private speechFrame(event: SpeechEvent): SpeechStartFrame | SpeechStopFrame {
    return { kind: event.kind, timestamp: event.timestamp, source: this.options.source };
  }

  /** Held frames that end after `onsetMs - prefixPaddingMs`, oldest first. */
  private releaseHeld(onsetMs: number): AudioFrame[] {
    const from = onsetMs - this.options.prefixPaddingMs;
    const released = this.held.filter((f) => f.timestamp + audioDurationMs(f) > from);
    this.held = [];
    return released;
  }

  /** Keeps enough recent audio to cover the prefix padding before an onset not confirmed yet. */
  private hold(frame: AudioFrame): void {
    this.held.push(frame);
    const keepMs =
      this.options.prefixPaddingMs + this.options.minSpeechMs + 2 * ((this.windowSize / this.sampleRate) * 1000);
    const horizon = frame.timestamp + audioDurationMs(frame) - keepMs;
    while (this.held.length > 0 && this.held[0].timestamp + audioDurationMs(this.held[0]) <= horizon) this.held.shift();
  }
}
