/** Per-connection limits; a connection above one is closed with a reason that names it. */
export interface ConnectionLimits {
  /** Largest WebSocket message accepted (bytes); larger ones close the connection (1009). */
  readonly maxMessageBytes: number;
  /** Messages a second a caller may send on average (burst: `BURST_SECONDS` worth). */
  readonly maxMessagesPerSecond: number;
  /** Unsent bytes queued for a caller beyond which agent audio is dropped (and counted). */
  readonly maxBufferedBytes: number;
  /** How long a caller may stay above `maxBufferedBytes` before it is closed as not reading (ms). */
  readonly stallMs: number;
}

export const DEFAULT_LIMITS: ConnectionLimits = {
  maxMessageBytes: 64 * 1024,
  maxMessagesPerSecond: 200,
  maxBufferedBytes: 1024 * 1024,
  stallMs: 5000,
};

/** WebSocket close codes used by the server (RFC 6455 §7.4.1). */
export const CLOSE = {
  normal: 1000,
  goingAway: 1001,
  unsupported: 1003,
  invalidPayload: 1007,
  policy: 1008,
  tooBig: 1009,
  internal: 1011,
  tryAgainLater: 1013,
} as const;
