/** Failures the mock can simulate on request (tests of reconnection, expiry, rate limits, robustness). */
export type MockFault =
  /** Drop the TCP connection without a close frame (1006): now, or after `afterChunks` audio deltas of the next response. */
  | { readonly type: 'drop'; readonly during?: 'now' | 'response'; readonly afterChunks?: number }
  /** `session_expired` error then close 1001: now, or after `afterChunks` audio deltas of the next response. */
  | { readonly type: 'expire-session'; readonly during?: 'now' | 'response'; readonly afterChunks?: number }
  /** The next response fails with `rate_limit_exceeded`. */
  | { readonly type: 'rate-limit' }
  /** The next response is slow: delay before its first audio and between chunks. */
  | { readonly type: 'slow'; readonly firstAudioLatencyMs?: number; readonly chunkIntervalMs?: number }
  /** Send malformed frames now: non-JSON text, an event with a wrong field type, an unknown event type. */
  | { readonly type: 'malformed' };

export type ResponseFault = Extract<MockFault, { type: 'drop' | 'expire-session' | 'rate-limit' | 'slow' }>;

/** Faults waiting for the next response, first in first out. */
export class FaultQueue {
  private readonly pending: ResponseFault[] = [];

  push(fault: ResponseFault): void {
    this.pending.push(fault);
  }

  takeForResponse(): ResponseFault | undefined {
    return this.pending.shift();
  }
}
