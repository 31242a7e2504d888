import type WebSocket from 'ws';
import { type ErrorOptions, errorEvent } from './error-events.js';
import { newId } from './ids.js';
import type { Json } from './items.js';

/** The server events of one connection: each stamped with a fresh `event_id`, none once the connection is closed. */
export class ServerEvents {
  private ended = false;

  constructor(private readonly socket: WebSocket) {}

  get closed(): boolean {
    return this.ended;
  }

  /** Nothing is sent from now on. */
  close(): void {
    this.ended = true;
  }

  send(event: Json): void {
    if (this.ended) return;
    this.socket.send(JSON.stringify({ event_id: newId('event'), ...event }));
  }

  error(code: string | null, message: string, options?: ErrorOptions): void {
    this.send(errorEvent(code, message, options));
  }
}
