import type { AudioFormat, AudioFrame } from '@beluga-voice/core';
import { Subject } from 'rxjs';
import type { WebSocket } from 'ws';
import type { CallConnection, CallProtocol, Playout } from './call-connection.js';
import type { ConnectionLimits } from './connection-limits.js';
import { InboundAudio } from './inbound-audio.js';
import { PlayoutTracker } from './playout-tracker.js';
import { SocketChannel } from './socket-channel.js';

/** What every WebSocket call shares: caller audio in, played positions out, one channel, one end. */
export abstract class SocketCall implements CallConnection {
  abstract readonly protocol: CallProtocol;
  abstract readonly outputFormat: AudioFormat;
  /** Resolves with the close reason once the socket has closed. */
  readonly ended: Promise<string>;
  protected readonly inbound = new InboundAudio();
  protected readonly tracker: PlayoutTracker;
  protected readonly channel: SocketChannel;
  private readonly playouts = new Subject<Playout>();
  private resolveEnded!: (reason: string) => void;

  readonly audio$ = this.inbound.audio$;
  readonly playout$ = this.playouts.asObservable();

  constructor(
    readonly id: string,
    ws: WebSocket,
    limits: ConnectionLimits,
  ) {
    this.tracker = new PlayoutTracker((p) => this.playouts.next(p));
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
    this.channel = new SocketChannel(ws, limits, {
      text: (text) => this.onText(text),
      binary: (data) => this.onBinary(data),
      closed: (code, reason) => {
        this.inbound.end();
        this.playouts.complete();
        this.onClosed(code, reason);
        this.resolveEnded(reason || `closed (${code})`);
      },
    });
  }

  /** Audio dropped: the caller was not reading, or it arrived before the pipeline listened. */
  get dropped(): number {
    return this.channel.dropped + this.inbound.dropped;
  }

  /** Ends the call from our side (pipeline over, drain, failure). */
  close(code: number, reason: string): void {
    this.channel.close(code, reason);
  }

  abstract play(frame: AudioFrame): void;
  abstract responseDone(responseId: string): void;
  abstract clear(): Playout | undefined;
  abstract notify(event: Readonly<Record<string, unknown>>): void;
  protected abstract onText(text: string): void;
  protected abstract onBinary(data: Buffer): void;
  protected onClosed(_code: number, _reason: string): void {}
}
