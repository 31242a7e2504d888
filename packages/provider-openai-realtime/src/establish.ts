import { S2SError } from '@beluga-voice/core';
import type WebSocket from 'ws';
import { type ConnectOptions, openSocket } from './connection.js';
import type { EventWaiters } from './event-waiters.js';
import { buildSessionObject, type ClientEvent, type SessionSettings } from './wire/client-events.js';
import type { ServerEvent } from './wire/server-events.js';

const WHO = 'provider.openai-realtime';

/** What the establish step needs from the session that owns the socket. */
export interface EstablishHost {
  readonly connect: ConnectOptions;
  readonly waiters: EventWaiters;
  readonly settings: SessionSettings;
  /** Takes the socket over the moment it opens (before the server's first event). */
  attach(socket: WebSocket): void;
  send(event: ClientEvent): string;
  closed(): boolean;
}

/**
 * Opens a socket and sets a session up on it: `session.created`, then `session.update` answered
 * by `session.updated`. Resolves with the server's session id. Every wait starts only once the
 * step before it is done, and each is awaited (or guarded) from the moment it exists, so that a
 * server hanging at any point rejects this one promise and nothing else.
 */
export async function establishSession(host: EstablishHost): Promise<string | undefined> {
  const { connect, waiters } = host;
  let created: Promise<ServerEvent> | undefined;
  try {
    await openSocket(connect, (socket) => {
      host.attach(socket);
      // The server speaks first: wait from the moment the socket is ours, not before it opens.
      created = waiters.waitFor('session.created', undefined, connect.timeoutMs);
      created.catch(() => undefined);
    });
  } catch (error) {
    waiters.rejectAll(error instanceof S2SError ? error : new S2SError('connection', String(error)));
    throw error;
  }
  if (host.closed()) throw new S2SError('closed', `${WHO}: session closed while connecting`);
  const event = await (created as Promise<ServerEvent>);
  const updateId = host.send({ type: 'session.update', session: buildSessionObject(connect.protocol, host.settings) });
  await waiters.waitFor('session.updated', updateId, connect.timeoutMs).catch((error: unknown) => {
    const e = error as S2SError;
    throw e.code === 'invalid-request'
      ? new S2SError(e.code, `${WHO}: session.update refused: ${e.message}`, { fatal: true })
      : e;
  });
  return event.type === 'session.created' ? (event.session.id ?? undefined) : undefined;
}
