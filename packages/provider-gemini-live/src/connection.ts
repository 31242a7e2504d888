import { providerSocketOptions, redact, S2SError } from '@beluga-voice/core';
import { type SchedulerLike, timer } from 'rxjs';
import WebSocket from 'ws';
import { WHO } from './errors.js';

export interface ConnectOptions {
  readonly baseUrl: string;
  readonly apiVersion: string;
  readonly apiKey: string;
  readonly timeoutMs: number;
  /** Largest server message taken (see `maxMessageBytes`). */
  readonly maxMessageBytes: number;
  readonly scheduler: SchedulerLike;
}

/** The BidiGenerateContent endpoint under `baseUrl`, without the key. */
export function liveUrl(baseUrl: string, apiVersion: string): URL {
  const url = new URL(
    `${baseUrl.replace(/\/+$/, '')}/ws/google.ai.generativelanguage.${apiVersion}.GenerativeService.BidiGenerateContent`,
  );
  if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.protocol === 'http:') url.protocol = 'ws:';
  return url;
}

/**
 * Opens the socket with the key as the `key` query parameter, as the service and its SDK do; the
 * URL never leaves this function and errors name only the host. `onOpen` runs synchronously.
 */
export function openSocket(options: ConnectOptions, onOpen: (socket: WebSocket) => void): Promise<WebSocket> {
  const url = liveUrl(options.baseUrl, options.apiVersion);
  const host = url.host;
  url.searchParams.set('key', options.apiKey);
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, providerSocketOptions(url, options.maxMessageBytes));
    const fail = (error: S2SError) => {
      deadline.unsubscribe();
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.terminate();
      reject(error);
    };
    const deadline = timer(options.timeoutMs, options.scheduler).subscribe(() =>
      fail(new S2SError('timeout', `${WHO}: no connection to ${host} within ${options.timeoutMs} ms`)),
    );
    socket.once('unexpected-response', (_req, res) => {
      const status = res.statusCode ?? 0;
      const auth = status === 401 || status === 403;
      fail(
        new S2SError(
          auth ? 'auth' : status === 429 ? 'rate-limit' : status >= 500 ? 'server' : 'connection',
          `${WHO}: ${host} refused the WebSocket upgrade (HTTP ${status})${auth ? '; check GEMINI_API_KEY' : ''}`,
          { fatal: auth || status === 429 },
        ),
      );
    });
    socket.once('error', (error: Error) =>
      fail(new S2SError('connection', `${WHO}: cannot connect to ${host}: ${redact(error.message)}`, { cause: error })),
    );
    socket.once('open', () => {
      deadline.unsubscribe();
      socket.removeAllListeners();
      onOpen(socket);
      resolve(socket);
    });
  });
}
