import { providerSocketOptions, redact, S2SError, watchProviderSocketClose } from '@beluga-voice/core';
import { type SchedulerLike, timer } from 'rxjs';
import WebSocket from 'ws';
import { errorFromUpgradeStatus } from './errors.js';
import type { Protocol } from './wire/client-events.js';

export interface ConnectOptions {
  readonly baseUrl: string;
  readonly model: string;
  readonly protocol: Protocol;
  readonly apiKey: string;
  readonly timeoutMs: number;
  /** Largest server message taken (see `maxMessageBytes`). */
  readonly maxMessageBytes: number;
  readonly scheduler: SchedulerLike;
  /** Aborting it gives up the attempt at once (the session closed while connecting). */
  readonly signal?: AbortSignal;
}

/** `<baseUrl>/realtime?model=…`, with http(s) turned into ws(s). */
export function realtimeUrl(baseUrl: string, model: string): string {
  const url = new URL(baseUrl.replace(/\/+$/, '') + '/realtime');
  if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.protocol === 'http:') url.protocol = 'ws:';
  url.searchParams.set('model', model);
  return url.toString();
}

/**
 * Opens the socket with the key in the `Authorization` header (never in the URL, which ends
 * up in logs). Rejects with a typed error: auth for a 401/403 upgrade, timeout, connection.
 * `onOpen` runs synchronously on open so that no server event is emitted before the caller
 * listens (the server speaks first).
 */
export function openSocket(options: ConnectOptions, onOpen: (socket: WebSocket) => void): Promise<WebSocket> {
  const url = realtimeUrl(options.baseUrl, options.model);
  const headers: Record<string, string> = { Authorization: `Bearer ${options.apiKey}` };
  if (options.protocol === 'beta') headers['OpenAI-Beta'] = 'realtime=v1';
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers, ...providerSocketOptions(new URL(url), options.maxMessageBytes) });
    const fail = (error: S2SError) => {
      deadline.unsubscribe();
      options.signal?.removeEventListener('abort', onAbort);
      dropSocket(socket);
      reject(error);
    };
    const deadline = timer(options.timeoutMs, options.scheduler).subscribe(() =>
      fail(
        new S2SError(
          'timeout',
          `provider.openai-realtime: no connection to ${new URL(url).host} within ${options.timeoutMs} ms`,
        ),
      ),
    );
    const onAbort = () =>
      fail(new S2SError('closed', `provider.openai-realtime: session closed while connecting to ${new URL(url).host}`));
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('unexpected-response', (_req, res) => fail(errorFromUpgradeStatus(res.statusCode ?? 0)));
    socket.once('error', (error: Error) =>
      fail(
        new S2SError(
          'connection',
          `provider.openai-realtime: cannot connect to ${new URL(url).host}: ${error.message}`,
          { cause: error },
        ),
      ),
    );
    socket.once('open', () => {
      deadline.unsubscribe();
      options.signal?.removeEventListener('abort', onAbort);
      socket.removeAllListeners();
      onOpen(socket);
      resolve(socket);
    });
  });
}

/** What an open socket reports to its owner. */
export interface SocketListener {
  message(text: string): void;
  /** `code` 1009 also when this client refused a message above its `maxMessageBytes`. */
  close(code: number, reason: string): void;
  debug(message: string): void;
  warn(message: string): void;
}

/** Listens to an open socket: text messages, then its close (once). */
export function listenTo(socket: WebSocket, listener: SocketListener): void {
  socket.on('message', (data, isBinary) => {
    if (isBinary) listener.warn('binary WebSocket frame ignored');
    else listener.message(data.toString());
  });
  watchProviderSocketClose(socket, listener.close, (message) => listener.debug(redact(message)));
}

/** Drops a socket at once; nothing it does afterwards reaches anyone. */
export function dropSocket(socket: WebSocket): void {
  socket.removeAllListeners();
  socket.on('error', () => undefined);
  socket.terminate();
}
