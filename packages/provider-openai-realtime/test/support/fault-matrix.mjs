// Runs every fault the provider knows how to meet, in one process started with
// `node --unhandled-rejections=strict`: any rejection nobody handles ends it with exit code 1.
// Prints one JSON line per scenario: { scenario, outcome }. Runs against the built package (dist).
import { connect, createServer } from 'node:net';
import { WebSocketServer } from 'ws';
import { OpenAIRealtimeProvider } from '../../dist/index.js';
import { startMockServer } from '../../dist/mock/index.js';

const KEY = 'sk-matrix-0123456789abcdef';
const FAST = { connectTimeoutMs: 150, reconnect: { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 20, jitter: 0 } };

function report(scenario, outcome) {
  process.stdout.write(`${JSON.stringify({ scenario, outcome })}\n`);
}

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

/** Accepts TCP; pipes the first `forward` connections to `target`, holds the rest unanswered. */
async function hungFront(forward = 0, target = 0) {
  const sockets = [];
  let seen = 0;
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    sockets.push(socket);
    if (seen++ < forward) {
      const up = connect(target, '127.0.0.1');
      up.on('error', () => socket.destroy());
      sockets.push(up);
      socket.pipe(up).pipe(socket);
    } else socket.resume();
  });
  const port = await listen(server);
  return {
    baseUrl: `ws://127.0.0.1:${port}/v1`,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A WebSocket server that answers the session set-up, then does `after(socket)`. */
async function scriptedServer({ update = true, after = () => undefined }) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  wss.on('connection', (ws) => {
    ws.send(JSON.stringify({ type: 'session.created', event_id: 'e1', session: { id: 'sess_matrix' } }));
    ws.on('message', (data) => {
      const event = JSON.parse(data.toString());
      if (event.type !== 'session.update' || !update) return;
      ws.send(JSON.stringify({ type: 'session.updated', event_id: 'e2', session: { id: 'sess_matrix' } }));
      after(ws);
    });
  });
  return {
    baseUrl: `ws://127.0.0.1:${wss.address().port}/v1`,
    close: () => {
      for (const c of wss.clients) c.terminate();
      return new Promise((resolve) => wss.close(resolve));
    },
  };
}

function collect(session) {
  const events = [];
  session.events$.subscribe((e) => events.push(e));
  const until = async (predicate, ms = 5000) => {
    const start = Date.now();
    while (!predicate(events)) {
      if (Date.now() - start > ms)
        throw new Error(
          `timed out; events: ${events.map((e) => e.type + (e.error ? ` (${e.error.message})` : '')).join(', ')}`,
        );
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const errors = () =>
    events.filter((e) => e.type === 'error').map((e) => `${e.error.code}${e.error.fatal ? '!' : ''}`);
  return { events, until, errors };
}

/** How a first connection ends: `connected`, or the error's code (`!` when fatal) and message. */
function connectOutcome(baseUrl, config = {}, options = {}) {
  return new OpenAIRealtimeProvider({ apiKey: KEY, baseUrl, ...FAST, ...config }).startSession({}, options).then(
    () => 'connected',
    (error) => `${error.code}${error.fatal ? '!' : ''}: ${error.message}`,
  );
}

const scenarios = {
  async 'hung server on first connect'() {
    const front = await hungFront();
    try {
      return await connectOutcome(front.baseUrl);
    } finally {
      await front.close();
    }
  },
  async 'hung server during reconnect'() {
    const mock = await startMockServer({ apiKey: KEY });
    const front = await hungFront(1, mock.port);
    try {
      const session = await new OpenAIRealtimeProvider({ apiKey: KEY, baseUrl: front.baseUrl, ...FAST }).startSession(
        {},
      );
      const c = collect(session);
      mock.injectFault({ type: 'drop', during: 'now' });
      await c.until((events) => events.some((e) => e.type === 'closed'));
      return c.errors().join(' ');
    } finally {
      await front.close();
      await mock.close();
    }
  },
  async 'abort while connecting to a hung server'() {
    const front = await hungFront();
    try {
      const abort = new AbortController();
      setTimeout(() => abort.abort(), 30);
      return await connectOutcome(front.baseUrl, {}, { signal: abort.signal });
    } finally {
      await front.close();
    }
  },
  async 'connection refused'() {
    const server = createServer();
    const port = await listen(server);
    await new Promise((resolve) => server.close(resolve));
    return connectOutcome(`ws://127.0.0.1:${port}/v1`);
  },
  async 'wrong key'() {
    const mock = await startMockServer({ apiKey: KEY });
    try {
      return await connectOutcome(mock.baseUrl, { apiKey: 'sk-wrong-0123456789' });
    } finally {
      await mock.close();
    }
  },
  async 'no session.updated'() {
    const server = await scriptedServer({ update: false });
    try {
      return await connectOutcome(server.baseUrl);
    } finally {
      await server.close();
    }
  },
  async 'a 50 MB server message'() {
    let sent = 0;
    const huge = JSON.stringify({ type: 'mock.huge', blob: 'x'.repeat(50 * 1024 * 1024) });
    const server = await scriptedServer({
      after: (ws) => {
        if (sent++ === 0) setTimeout(() => ws.send(huge), 20);
      },
    });
    try {
      const session = await new OpenAIRealtimeProvider({
        apiKey: KEY,
        baseUrl: server.baseUrl,
        ...FAST,
        connectTimeoutMs: 2000,
      }).startSession({});
      const c = collect(session);
      await c.until((events) => events.some((e) => e.type === 'reconnected'));
      await session.close();
      return c.events.filter((e) => e.type === 'error').map((e) => e.error.message)[0];
    } finally {
      await server.close();
    }
  },
  async 'mock faults in a row'() {
    const mock = await startMockServer({ apiKey: KEY, script: { chunkIntervalMs: 2 } });
    try {
      const session = await new OpenAIRealtimeProvider({
        apiKey: KEY,
        baseUrl: mock.baseUrl,
        ...FAST,
        responseTimeoutMs: 100,
      }).startSession({});
      const c = collect(session);
      const done = (n) => c.until((events) => events.filter((e) => e.type === 'response-done').length >= n);
      const faults = [
        { type: 'rate-limit' },
        { type: 'malformed' },
        { type: 'slow', firstAudioLatencyMs: 300 },
        { type: 'drop', during: 'response', afterChunks: 1 },
        { type: 'expire-session', during: 'response', afterChunks: 1 },
      ];
      for (const [i, fault] of faults.entries()) {
        mock.injectFault(fault);
        session.sendText(`turn ${i + 1}`);
        await done(i + 1);
        await new Promise((r) => setTimeout(r, 400));
      }
      await session.close();
      return c.errors().join(' ');
    } finally {
      await mock.close();
    }
  },
  async 'server closes during set-up'() {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => wss.once('listening', resolve));
    wss.on('connection', (ws) => ws.close(1011, 'internal'));
    try {
      return await connectOutcome(`ws://127.0.0.1:${wss.address().port}/v1`);
    } finally {
      await new Promise((resolve) => wss.close(resolve));
    }
  },
};

const only = process.argv[2];
for (const [name, run] of Object.entries(scenarios)) if (!only || name === only) report(name, await run());
