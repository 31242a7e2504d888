import type { Logger } from '@beluga-voice/core';
import type WebSocket from 'ws';
import { dropSocket, listenTo } from './connection.js';
import type { ClientEvent } from './wire/client-events.js';

/** What the current socket reports; a replaced or dropped socket reports nothing. */
export interface SocketEvents {
  message(text: string): void;
  close(code: number, reason: string): void;
}

/**
 * The session's current socket (replaced after a reconnection) and the client events sent on
 * it, each with a fresh `event_id` that errors about it echo.
 */
export class SocketLink {
  private socket: WebSocket | undefined;
  private eventSeq = 0;

  constructor(private readonly logger: Logger) {}

  /** Takes an opened socket over: its messages and its close reach `events` while it is the current one. */
  attach(socket: WebSocket, events: SocketEvents): void {
    this.socket = socket;
    listenTo(socket, {
      message: (text) => {
        if (this.socket === socket) events.message(text);
      },
      close: (code, reason) => {
        if (this.socket !== socket) return;
        this.socket = undefined;
        events.close(code, reason);
      },
      debug: (message) => this.logger.debug(message),
      warn: (message) => this.logger.warn(message),
    });
  }

  /** Sends a client event with a fresh `event_id` (echoed by errors about it); returns the id. */
  send(event: ClientEvent): string {
    return this.sendBuilt(event.type, (id) => JSON.stringify({ event_id: id, ...event }));
  }

  /** Sends the text `build` makes around a fresh `event_id`, if the socket is open; returns the id. */
  sendBuilt(type: string, build: (eventId: string) => string): string {
    const eventId = `evt_${(++this.eventSeq).toString(36).padStart(6, '0')}`;
    const socket = this.socket;
    if (!socket || socket.readyState !== socket.OPEN) {
      this.logger.debug(`${type} not sent: no open socket`);
      return eventId;
    }
    socket.send(build(eventId));
    return eventId;
  }

  /** Drops a socket that failed to set up a session; its close must not trigger anything. */
  discard(): void {
    const socket = this.detach();
    if (socket) dropSocket(socket);
  }

  /** Lets go of the current socket, for the caller to close. */
  detach(): WebSocket | undefined {
    const socket = this.socket;
    this.socket = undefined;
    return socket;
  }
}
