import type { RawData, WebSocket } from 'ws';
import { CLOSE, type ConnectionLimits } from './connection-limits.js';
import { MessageRate } from './message-rate.js';

export interface ChannelHandlers {
  text(data: string): void;
  binary(data: Buffer): void;
  /** The socket closed (either side); `code` and `reason` as the close frame gave them. */
  closed(code: number, reason: string): void;
}

/** After our close frame, how long a peer may take to answer before the socket is destroyed. */
const CLOSE_GRACE_MS = 1000;
/** RFC 6455: a close reason fits in 123 bytes. */
const MAX_REASON_BYTES = 123;

/**
 * One caller's WebSocket: rate-limits what arrives, drops (and counts) what the caller does not
 * read, closes with a reason and never leaves the socket half-open.
 */
export class SocketChannel {
  /** Messages not sent because the caller was not reading. */
  dropped = 0;
  private readonly rate: MessageRate;
  private stallTimer: NodeJS.Timeout | undefined;
  private closing = false;
  private killTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ws: WebSocket,
    private readonly limits: ConnectionLimits,
    private readonly handlers: ChannelHandlers,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.rate = new MessageRate(limits.maxMessagesPerSecond, now);
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('close', (code, reason) => {
      this.closing = true;
      clearTimeout(this.killTimer);
      clearTimeout(this.stallTimer);
      handlers.closed(code, reason.toString('utf8'));
    });
    // A socket error always ends in 'close', which reports it.
    ws.on('error', () => undefined);
  }

  get open(): boolean {
    return !this.closing;
  }

  /** Sends now; a `droppable` message (audio) is dropped while the caller has too much unread. */
  send(data: string | Uint8Array, droppable = false): boolean {
    if (this.closing) return false;
    if (droppable && this.ws.bufferedAmount > this.limits.maxBufferedBytes) {
      this.dropped++;
      this.watchStall();
      return false;
    }
    this.ws.send(data);
    return true;
  }

  /** A caller still above the limit `stallMs` after the first drop is not reading: it is closed. */
  private watchStall(): void {
    if (this.stallTimer) return;
    this.stallTimer = setTimeout(() => {
      this.stallTimer = undefined;
      if (this.ws.bufferedAmount <= this.limits.maxBufferedBytes) return;
      const kb = Math.round(this.ws.bufferedAmount / 1024);
      this.close(CLOSE.policy, `client is not reading: ${kb} KB unsent after ${this.limits.stallMs} ms`);
    }, this.limits.stallMs);
    this.stallTimer.unref();
  }

  close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.ws.close(code, fitReason(reason));
    this.killTimer = setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS);
    this.killTimer.unref();
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.closing) return;
    if (!this.rate.take()) {
      this.close(CLOSE.policy, `more than ${this.limits.maxMessagesPerSecond} messages a second`);
      return;
    }
    const buffer = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    if (isBinary) this.handlers.binary(buffer);
    else this.handlers.text(buffer.toString('utf8'));
  }
}

function fitReason(reason: string): string {
  if (Buffer.byteLength(reason) <= MAX_REASON_BYTES) return reason;
  let out = reason;
  while (Buffer.byteLength(`${out}…`) > MAX_REASON_BYTES) out = out.slice(0, -1);
  return `${out}…`;
}
