import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { MockConnection } from './connection.js';
import { DEFAULT_KEPT_EVENTS, type ReceivedEvent, ReceivedLog } from './event-log.js';
import { FaultQueue, type MockFault } from './faults.js';
import type { MockScript } from './script.js';
import type { MockProtocol } from './session-state.js';
import { readTlsFiles, selfSignedCertificate } from './tls.js';

export interface MockServerOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** When set, only this key is accepted; otherwise any key is. */
  readonly apiKey?: string;
  /** `auto` (default) follows each client (`OpenAI-Beta` header or subprotocol); `ga` refuses beta clients as the service does today; `beta` speaks beta to all. */
  readonly protocol?: 'auto' | MockProtocol;
  /** `true` serves wss:// with a self-signed certificate made at start; or give PEM files. */
  readonly tls?: boolean | { readonly certFile: string; readonly keyFile: string };
  readonly script?: MockScript;
  /** Session lifetime before `session_expired` + close 1001 (the service: 60 minutes). */
  readonly sessionMaxMs?: number;
  /** How many received client events `received` keeps (default 10,000; the oldest half goes past it). */
  readonly keptEvents?: number;
  /** Keep appends' base64 audio in `received` (default true; `beluga mock-openai` keeps only sizes). */
  readonly keepAudio?: boolean;
}

export interface MockServer {
  /** `ws://127.0.0.1:N/v1/realtime` (or wss://). */
  readonly url: string;
  /** What clients use as base URL: `ws://127.0.0.1:N/v1`. */
  readonly baseUrl: string;
  readonly port: number;
  /** PEM certificate when serving TLS: pass it as `ca` to trust the server. */
  readonly certificate?: string;
  /** The client events received, in order, on every connection: the latest `keptEvents` (appends carry `audioBytes`). */
  readonly received: readonly ReceivedEvent[];
  /** Connections accepted so far (including closed ones). */
  readonly connectionCount: number;
  readonly openConnections: number;
  /** Replaces the script for responses started from now on. */
  setScript(script: MockScript): void;
  injectFault(fault: MockFault): void;
  /** Resolves with the `count`-th client event of `type` (1-based), waiting for it if needed. */
  waitForClientEvent(type: string, options?: { count?: number; timeoutMs?: number }): Promise<ReceivedEvent>;
  close(): Promise<void>;
}

const PATH = '/v1/realtime';

export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const tls =
    options.tls === true
      ? await selfSignedCertificate()
      : options.tls
        ? await readTlsFiles(options.tls.certFile, options.tls.keyFile)
        : undefined;
  const http: Server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }) : createHttpServer();
  http.on('request', (_req, res) => {
    res.writeHead(426, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ error: { type: 'invalid_request_error', message: 'This endpoint only speaks WebSocket.' } }),
    );
  });
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has('realtime') ? 'realtime' : false),
  });
  const log = new ReceivedLog(options.keptEvents ?? DEFAULT_KEPT_EVENTS, options.keepAudio ?? true);
  const received = log.events;
  const faults = new FaultQueue();
  const connections = new Set<MockConnection>();
  let script: MockScript = options.script ?? {};
  let connectionCount = 0;
  let responseIndex = 0;

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://mock');
    if (url.pathname !== PATH)
      return refuse(socket, 404, `No route for ${url.pathname}; the Realtime endpoint is ${PATH}`);
    const selectors = ['model', 'call_id', 'intent'].filter((k) => url.searchParams.has(k));
    if (selectors.length !== 1) return refuse(socket, 400, 'Pass exactly one of model, call_id or intent.');
    if (!url.searchParams.get('model')) return refuse(socket, 400, 'The mock serves model sessions only (?model=…).');
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, req, url.searchParams.get('model') as string));
  });

  function accept(ws: WebSocket, req: IncomingMessage, model: string): void {
    const number = ++connectionCount;
    const offered = (req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    const key =
      bearer(req.headers.authorization) ??
      offered.find((p) => p.startsWith('openai-insecure-api-key.'))?.slice('openai-insecure-api-key.'.length);
    const wantsBeta =
      /realtime=v1/.test(String(req.headers['openai-beta'] ?? '')) || offered.includes('openai-beta.realtime-v1');
    const fail = (code: string | null, message: string, closeCode: number) => {
      ws.send(
        JSON.stringify({
          type: 'error',
          event_id: `event_refused${number}`,
          error: { type: 'invalid_request_error', code, message, param: null, event_id: null },
        }),
      );
      ws.close(closeCode, code ? `invalid_request_error.${code}` : 'invalid_request_error');
    };
    if (!key) {
      fail(null, 'Missing bearer or basic authentication in header', 3000);
      return;
    }
    if (options.apiKey !== undefined && key !== options.apiKey) {
      fail(
        'invalid_api_key',
        `Incorrect API key provided: ${mask(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        3000,
      );
      return;
    }
    if (wantsBeta && options.protocol === 'ga') {
      fail(
        'beta_api_shape_disabled',
        'The Realtime Beta API is no longer supported. Please use the GA interface.',
        4000,
      );
      return;
    }
    const protocol: MockProtocol =
      options.protocol === 'beta' || (options.protocol !== 'ga' && wantsBeta) ? 'beta' : 'ga';
    const connection = new MockConnection(ws, {
      number,
      protocol,
      model,
      script: () => script,
      faults,
      nextResponseIndex: () => responseIndex++,
      sessionMaxMs: options.sessionMaxMs ?? 60 * 60_000,
      record: (event) => log.add(number, event),
      onClosed: () => connections.delete(connection),
    });
    connections.add(connection);
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const host = options.host ?? '127.0.0.1';
  const scheme = tls ? 'wss' : 'ws';

  return {
    url: `${scheme}://${host}:${port}${PATH}`,
    baseUrl: `${scheme}://${host}:${port}/v1`,
    port,
    certificate: tls?.cert,
    received,
    get connectionCount() {
      return connectionCount;
    },
    get openConnections() {
      return connections.size;
    },
    setScript(next) {
      script = next;
    },
    injectFault(fault) {
      if (fault.type === 'malformed') for (const c of connections) c.sendMalformed();
      else if ((fault.type === 'drop' || fault.type === 'expire-session') && fault.during === 'now') {
        for (const c of [...connections]) fault.type === 'drop' ? c.drop() : c.expire();
      } else faults.push(fault as Exclude<MockFault, { type: 'malformed' }>);
    },
    waitForClientEvent(type, { count = 1, timeoutMs = 5000 } = {}) {
      return new Promise((resolve, reject) => {
        let stop: () => void = () => undefined;
        const check = () => {
          const match = received.filter((r) => r.event.type === type)[count - 1];
          if (!match) return false;
          stop();
          clearTimeout(timeout);
          resolve(match);
          return true;
        };
        const timeout = setTimeout(() => {
          stop();
          reject(new Error(`mock-openai: no client event ${type} #${count} within ${timeoutMs} ms`));
        }, timeoutMs);
        if (!check()) stop = log.listen(check);
      });
    },
    async close() {
      for (const c of [...connections]) c.closeWith(1001, 'server shutting down');
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await closed;
    },
  };
}

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return match?.[1].trim();
}

/** How the service echoes a wrong key: never the whole of it. */
function mask(key: string): string {
  return key.length <= 8
    ? '*'.repeat(key.length)
    : `${key.slice(0, 3)}${'*'.repeat(Math.min(20, key.length - 7))}${key.slice(-4)}`;
}

function refuse(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ error: { type: 'invalid_request_error', message } });
  socket.end(
    `HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : 'Bad Request'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
