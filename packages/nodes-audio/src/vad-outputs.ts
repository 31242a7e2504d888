import {
  type FormatContext,
  type Frame,
  isFrameKind,
  type SpeechStartFrame,
  type SpeechStopFrame,
} from '@beluga-voice/core';
import { filter, type Observable, share } from 'rxjs';

/** The output ports both VAD nodes declare. */
export const VAD_OUTPUT_PORTS = {
  audio: {
    kinds: ['audio', 'speech-start', 'speech-stop'],
    summary:
      'The input audio with speech-start/stop frames in stream order; their timestamps are the onset and the end of speech (not of the silence hangover)',
    format: ({ inputs }: FormatContext<unknown>) => inputs.audio,
  },
  events: { kinds: ['speech-start', 'speech-stop'], summary: 'speech-start/stop frames only' },
} as const;

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
