import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { GeminiMockConnection, type ResumableState } from './connection.js';
import type { GeminiMockFault } from './faults.js';
import type { GeminiMockScript } from './script.js';

export interface GeminiMockServerOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** When set, only this key is accepted (`key` query parameter or `x-goog-api-key` header); otherwise any is. */
  readonly apiKey?: string;
  readonly script?: GeminiMockScript;
}

export interface GeminiMockServer {
  /** `ws://127.0.0.1:N`: what the provider's `baseUrl` and the SDK's `httpOptions.baseUrl` take. */
  readonly url: string;
  /** `http://127.0.0.1:N`: the `@google/genai` SDK's `httpOptions.baseUrl` (it derives ws:// from http://). */
  readonly httpUrl: string;
  readonly port: number;
  /** Every client message received, in order, on every connection. */
  readonly received: readonly Record<string, unknown>[];
  /** Connections accepted so far (including closed ones), in order. */
  readonly connections: readonly GeminiMockConnection[];
  /** Sockets accepted so far, refused keys included. */
  readonly connectionCount: number;
  readonly openConnections: number;
  setScript(script: GeminiMockScript): void;
  /** Applies a fault to every open connection. */
  injectFault(fault: GeminiMockFault): void;
  close(): Promise<void>;
}

const PATH = /^\/ws\/google\.ai\.generativelanguage\.(v1alpha|v1beta)\.GenerativeService\.BidiGenerateContent$/;

/** Starts a Gemini Live mock on loopback (or `host`). */
export async function startGeminiMockServer(options: GeminiMockServerOptions = {}): Promise<GeminiMockServer> {
  const http = createServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        error: { code: 404, message: 'This mock only serves the Live WebSocket.', status: 'NOT_FOUND' },
      }),
    );
  });
  const wss = new WebSocketServer({ noServer: true });
  const received: Record<string, unknown>[] = [];
  const connections: GeminiMockConnection[] = [];
  const open = new Set<GeminiMockConnection>();
  const handles = new Map<string, ResumableState>();
  const sockets = new Set<import('ws').WebSocket>();
  let script: GeminiMockScript = options.script ?? {};
  let connectionCount = 0;

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // The SDK joins its base URL (which ends in "/") and "/ws/…": collapse the doubled slash
    // before parsing, or "//ws/…" would read as a host.
    const url = new URL((req.url ?? '/').replace(/^\/{2,}/, '/'), 'http://mock');
    const path = url.pathname;
    if (!PATH.test(path)) {
      socket.end(
        `HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nNo route for ${path}\n`,
      );
      return;
    }
    const key = url.searchParams.get('key') ?? req.headers['x-goog-api-key'];
    wss.handleUpgrade(req, socket, head, (ws) => {
      connectionCount++;
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      if (!key || (options.apiKey !== undefined && key !== options.apiKey)) {
        ws.close(1008, 'API key not valid. Please pass a valid API key.');
        return;
      }
      const connection = new GeminiMockConnection(ws, {
        script: () => script,
        saveHandle: (state) => {
          const handle = randomUUID();
          handles.set(handle, state);
          return handle;
        },
        loadHandle: (handle) => handles.get(handle),
        record: (message) => received.push(message),
      });
      connections.push(connection);
      open.add(connection);
      ws.on('close', () => open.delete(connection));
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const shownHost = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  return {
    url: `ws://${shownHost}:${port}`,
    httpUrl: `http://${shownHost}:${port}`,
    port,
    received,
    connections,
    get connectionCount() {
      return connectionCount;
    },
    get openConnections() {
      return sockets.size;
    },
    setScript(next) {
      script = next;
    },
    injectFault(fault) {
      if (fault.type === 'forget-handles') handles.clear();
      for (const connection of open) connection.inject(fault);
    },
    async close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
