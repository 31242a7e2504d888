import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { BusEvent } from '@beluga-voice/core';
import { WebSocketServer } from 'ws';
import { BrowserCall } from './browser-call.js';
import { workerMetrics } from './cluster-metrics.js';
import { type ConnectionLimits, DEFAULT_LIMITS } from './connection-limits.js';
import type { ServedPipeline } from './served-pipeline.js';
import { ServerMetrics } from './server-metrics.js';
import { newSessionId, SessionHost } from './session-host.js';
import { staticFile } from './static-files.js';
import { TwilioCall } from './twilio-call.js';
import { twilioStreamUrl } from './twiml.js';
import { checkOrigin, checkToken, checkTwilioSignature, type Refusal } from './upgrade-checks.js';

export interface ServerOptions {
  readonly port?: number;
  readonly host?: string;
  readonly maxSessions?: number;
  /** Required on the browser path when set (`Authorization: Bearer` or `?token=`). */
  readonly token?: string;
  /** The Twilio account's auth token: when set, `/twilio` takes only upgrades Twilio signed with it. */
  readonly twilioAuthToken?: string;
  /** Origin the server is reached at from outside (`https://calls.example.com`): what Twilio signs; default `wss://` + Host. */
  readonly publicUrl?: string;
  /** Origins allowed to open sessions from a browser; empty: the server's own origin only. */
  readonly allowOrigins?: readonly string[];
  readonly limits?: Partial<ConnectionLimits>;
  /** How long a Twilio stream may take to send its start event (ms). */
  readonly startTimeoutMs?: number;
  readonly log?: (line: string) => void;
  readonly onEvent?: (session: string, event: BusEvent) => void;
}

export const PATHS = { browser: '/ws', twilio: '/twilio' } as const;
const RETRY_AFTER_S = 5;

/** `beluga serve`: HTTP (page, health, readiness, metrics) and the WebSocket paths of the callers. */
export class BelugaServer {
  readonly metrics: ServerMetrics;
  readonly host: SessionHost;
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly limits: ConnectionLimits;
  /** In a `--workers` cluster, every worker's series (labelled `worker`); otherwise this server's. */
  private readonly metricsText: () => Promise<string>;

  private constructor(
    private readonly pipeline: ServedPipeline,
    private readonly options: ServerOptions,
  ) {
    const maxSessions = options.maxSessions ?? 100;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.metrics = new ServerMetrics(maxSessions);
    this.metricsText = workerMetrics(this.metrics.registry) ?? (() => this.metrics.registry.metrics());
    this.host = new SessionHost(pipeline, this.metrics, {
      maxSessions,
      log: options.log ?? (() => undefined),
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    });
    this.wss = new WebSocketServer({ noServer: true, maxPayload: this.limits.maxMessageBytes });
    this.http = createServer((req, res) => void this.onRequest(req, res));
    this.http.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
    this.http.on('clientError', (_error, socket) => socket.destroy());
  }

  static async start(pipeline: ServedPipeline, options: ServerOptions = {}): Promise<BelugaServer> {
    const server = new BelugaServer(pipeline, options);
    await new Promise<void>((resolve, reject) => {
      server.http.once('error', reject);
      server.http.listen(options.port ?? 8080, options.host ?? '127.0.0.1', () => {
        server.http.off('error', reject);
        resolve();
      });
    });
    return server;
  }

  get url(): string {
    const address = this.http.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
  }

  /** Stops admitting, lets sessions finish within `timeoutMs`, stops the rest, then closes the server. */
  async drain(timeoutMs: number): Promise<void> {
    await this.host.drain(timeoutMs);
    await this.close();
  }

  /** Ends every session at once and closes the server. */
  async abort(): Promise<void> {
    await this.host.abort();
    await this.close();
  }

  private async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    // Keep-alive connections (a balancer's health checks) would hold close() open.
    this.http.closeAllConnections();
    await closed;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'GET only\n');
      if (path === '/healthz') return send(res, 200, 'application/json', '{"status":"ok"}\n');
      if (path === '/readyz') return this.ready(res);
      if (path === '/metrics') {
        return send(res, 200, this.metrics.registry.contentType, await this.metricsText());
      }
      const file = this.pipeline.protocols.browser ? await staticFile(path) : undefined;
      if (file) return send(res, 200, file.type, file.body);
      send(res, 404, 'text/plain', `not found: ${path}\n`);
    } catch (error) {
      send(res, 500, 'text/plain', `internal error: ${(error as Error).message}\n`);
    }
  }

  /** Readiness with the load, for a balancer or an autoscaler: 503 while draining or full. */
  private ready(res: ServerResponse): void {
    const { active, capacity, draining } = this.host;
    const ready = !draining && active < capacity;
    const body = {
      ready,
      draining,
      activeSessions: active,
      maxSessions: capacity,
      available: Math.max(0, capacity - active),
    };
    send(res, ready ? 200 : 503, 'application/json', `${JSON.stringify(body)}\n`);
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://localhost');
    const protocol =
      url.pathname === PATHS.browser && this.pipeline.protocols.browser
        ? 'browser'
        : url.pathname === PATHS.twilio && this.pipeline.protocols.twilio
          ? 'twilio'
          : undefined;
    if (!protocol) {
      refuse(socket, { status: 404, text: `no WebSocket endpoint at ${url.pathname}` });
      return;
    }
    const refusal =
      checkOrigin(req, this.options.allowOrigins ?? []) ??
      (protocol === 'browser'
        ? checkToken(req, url, this.options.token)
        : checkTwilioSignature(
            req,
            twilioStreamUrl(this.options.publicUrl ?? `wss://${req.headers.host ?? 'localhost'}`, PATHS.twilio),
            this.options.twilioAuthToken,
          ));
    if (refusal) {
      this.metrics.refused.inc({ reason: refusal.reason ?? 'auth' });
      refuse(socket, refusal);
      return;
    }
    const full = this.host.reserve();
    if (full) {
      this.metrics.refused.inc({ reason: full });
      refuse(socket, {
        status: 503,
        text: full === 'draining' ? 'server is draining' : `server is full (${this.host.capacity} sessions)`,
        headers: { 'Retry-After': String(RETRY_AFTER_S) },
      });
      return;
    }
    // ws answers a bad handshake itself without calling back: the slot is given back when the socket closes.
    let admitted = false;
    socket.once('close', () => {
      if (!admitted) this.host.release();
    });
    try {
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        admitted = true;
        const id = newSessionId();
        if (protocol === 'twilio') {
          const call = new TwilioCall(id, ws, this.limits);
          void this.host.run(call, this.twilioParameters(call));
        } else {
          const formats = this.pipeline.protocols.browser!;
          const call = new BrowserCall(id, ws, formats, this.limits);
          const parameters = Object.fromEntries([...url.searchParams].filter(([name]) => name !== 'token'));
          void this.host.run(call, Promise.resolve(parameters));
        }
      });
    } catch {
      socket.destroy();
    }
  }

  private twilioParameters(call: TwilioCall): Promise<Readonly<Record<string, string>>> {
    const timeoutMs = this.options.startTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      call.started.then((info) => ({ ...info.parameters })),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no start event within ${timeoutMs} ms`)), timeoutMs);
        timer.unref();
      }),
    ]).finally(() => clearTimeout(timer));
  }
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function refuse(socket: Duplex, refusal: Refusal): void {
  const headers = Object.entries({ ...refusal.headers, 'Content-Type': 'text/plain', Connection: 'close' })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  const body = `${refusal.text}\n`;
  socket.end(
    `HTTP/1.1 ${refusal.status} ${STATUS_TEXT[refusal.status] ?? 'Error'}\r\n${headers}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  503: 'Service Unavailable',
};
