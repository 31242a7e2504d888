/** Failures the mock can simulate on request. */
export type GeminiMockFault =
  /** Drop the TCP connection without a close frame (1006): now, or after `afterChunks` audio messages of the next turn. */
  | { readonly type: 'drop'; readonly afterChunks?: number }
  /** `goAway` with `timeLeftMs`, then close 1000 when it runs out. */
  | { readonly type: 'go-away'; readonly timeLeftMs?: number }
  /** Close 1011 "Resource has been exhausted" (quota), as the service does when rate limited. */
  | { readonly type: 'rate-limit' }
  /** Close 1011 "Internal error encountered." */
  | { readonly type: 'server-error' }
  /** Send `toolCallCancellation` for the function calls still waiting for a result. */
  | { readonly type: 'cancel-tool-calls' }
  /** Forget every resumption handle: resuming with one fails (close 1008). */
  | { readonly type: 'forget-handles' }
  /** Send one text message of `bytes` (a broken or hostile server), then carry on. */
  | { readonly type: 'oversized-message'; readonly bytes: number };
