/**
 * The default largest server message a provider client accepts (`maxMessageBytes`): replies arrive as deltas of a few KB, so a
 * message of megabytes means a broken or hostile server, and `ws` would otherwise buffer 100 MiB.
 */
export const PROVIDER_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** Bounds of a provider's `maxMessageBytes` config: a reply delta must fit; `ws` buffers the whole message. */
export const PROVIDER_MESSAGE_BYTES_RANGE = { min: 64 * 1024, max: 256 * 1024 * 1024 } as const;

/** The `ws` client options every provider socket to `url` takes: the message limit and the mask. */
export function providerSocketOptions(
  url: URL,
  maxMessageBytes: number,
): { maxPayload: number; generateMask?: (mask: Uint8Array) => void } {
  return { maxPayload: maxMessageBytes, ...clientFrameMask(url) };
}

/** A message limit as people read it: `16 MiB`, `64 KiB`, or bytes when it is neither. */
export function messageLimitText(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / 1024 / 1024} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/**
 * Masking (RFC 6455 §10.3) keeps a script-controlled payload from being read as HTTP by a proxy
 * that sees the plaintext. On TLS or loopback no such proxy can, so a client there may mask with a
 * zero key, which `ws` skips: no copy of every outgoing payload and no random key per message.
 */
export function clientFrameMask(url: URL): { generateMask?: (mask: Uint8Array) => void } {
  return url.protocol === 'wss:' || isLoopback(url.hostname) ? { generateMask: zeroMask } : {};
}

function zeroMask(mask: Uint8Array): void {
  mask.fill(0);
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The part of a `ws` client socket `watchProviderSocketClose` needs (core does not depend on `ws`). */
export interface WatchedSocket {
  on(event: 'error', listener: (error: Error & { code?: string }) => void): unknown;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): unknown;
}

/**
 * Reports the socket's close once, with its error messages to `debug` (redacted by the caller).
 * `ws` refuses a message above `maxPayload` by dropping the socket (1006 here, 1009 to the
 * server): that close is reported as 1009, so the provider can name the limit.
 */
export function watchProviderSocketClose(
  socket: WatchedSocket,
  close: (code: number, reason: string) => void,
  debug: (message: string) => void,
): void {
  let tooLarge = false;
  socket.on('error', (error) => {
    if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') tooLarge = true;
    debug(`socket error: ${error.message}`);
  });
  socket.on('close', (code, reason) => close(tooLarge ? 1009 : code, reason.toString()));
}
