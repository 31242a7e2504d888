import { type Frame, isFrameKind, type SpeechStartFrame, type SpeechStopFrame } from '@beluga-voice/core';
import { filter, type Observable, share } from 'rxjs';

export interface VadOutputs {
  /** Audio with speech frames in stream order. */
  readonly audio: Observable<Frame & { kind: 'audio' | 'speech-start' | 'speech-stop' }>;
  /** Speech frames only. */
  readonly events: Observable<SpeechStartFrame | SpeechStopFrame>;
}

/** Both VAD outputs from one run over the input: subscribing to both consumes the input once. */
export function vadOutputs(frames: Observable<Frame>): VadOutputs {
  const shared = frames.pipe(share());
  return {
    audio: shared as VadOutputs['audio'],
    events: shared.pipe(
      filter(
        (f): f is SpeechStartFrame | SpeechStopFrame => isFrameKind(f, 'speech-start') || isFrameKind(f, 'speech-stop'),
      ),
    ),
  };
}
