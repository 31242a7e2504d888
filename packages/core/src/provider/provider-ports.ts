import { filter, map, type Observable } from 'rxjs';
import type { AudioFrame, Frame, FrameOf, ToolResultFrame } from '../frames.js';

/** What the provider node takes in: user audio, tool results, and control frames (local VAD, text). */
export interface ProviderBridgeInputs {
  readonly audio: Observable<Frame>;
  readonly toolResults: Observable<ToolResultFrame>;
  readonly control: Observable<Frame>;
}

export type ProviderOutputPort = 'audio' | 'transcripts' | 'toolCalls' | 'events';

/** The frames each output port carries. */
export interface ProviderBridgeOutputs {
  readonly audio: Observable<AudioFrame>;
  readonly transcripts: Observable<FrameOf<'transcript'>>;
  readonly toolCalls: Observable<FrameOf<'tool-call'>>;
  readonly events: Observable<FrameOf<'speech-start' | 'speech-stop' | 'response-start' | 'response-done'>>;
}

/** A frame of the provider node's one shared stream, with the port it leaves by. */
export interface Routed {
  readonly port: ProviderOutputPort;
  readonly frame: Frame;
}

/** Splits the shared stream into the node's output ports. */
export function splitPorts(routed$: Observable<Routed>): ProviderBridgeOutputs {
  const port = <F extends Frame>(name: ProviderOutputPort) =>
    routed$.pipe(
      filter((r) => r.port === name),
      map((r) => r.frame as F),
    );
  return {
    audio: port('audio'),
    transcripts: port('transcripts'),
    toolCalls: port('toolCalls'),
    events: port('events'),
  };
}
