import type { ResponseFault } from './faults.js';
import type { MockScript } from './script.js';

/** How a response's deltas are spread in time. */
export interface ResponsePacing {
  readonly firstAudioLatencyMs: number;
  readonly chunkIntervalMs: number;
  /** Audio per delta. */
  readonly chunkMs: number;
}

/** A fault that ends the socket after this many audio deltas of the response. */
export interface SocketBreak {
  readonly fault: Extract<ResponseFault, { type: 'drop' | 'expire-session' }>;
  readonly chunks: number;
}

/** The script's pacing, slowed by a `slow` fault. */
export function responsePacing(script: MockScript, fault: ResponseFault | undefined): ResponsePacing {
  const slow = fault?.type === 'slow' ? fault : undefined;
  return {
    firstAudioLatencyMs: slow?.firstAudioLatencyMs ?? script.firstAudioLatencyMs ?? 0,
    chunkIntervalMs: slow?.chunkIntervalMs ?? script.chunkIntervalMs ?? 0,
    chunkMs: script.chunkMs ?? 100,
  };
}

/** Where a `drop` or `expire-session` fault (two deltas in, unless it says) cuts the response. */
export function socketBreak(fault: ResponseFault | undefined): SocketBreak | undefined {
  return fault?.type === 'drop' || fault?.type === 'expire-session'
    ? { fault, chunks: fault.afterChunks ?? 2 }
    : undefined;
}
