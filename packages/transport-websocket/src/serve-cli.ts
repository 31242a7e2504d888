import cluster from 'node:cluster';
import { createWriteStream, truncateSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { redact, registerSecret } from '@beluga-voice/core';
import { runClusterPrimary } from './cluster-serve.js';
import { type ConnectionLimits, DEFAULT_LIMITS } from './connection-limits.js';
import { ServedPipeline } from './served-pipeline.js';
import { BelugaServer, PATHS } from './server.js';
import { twilioStreamUrl, twimlSnippet } from './twiml.js';

/** What the core CLI hands over (its `CliIo` and `StopSignals`). */
export interface ServeIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}
export interface ServeSignals {
  on(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

const EXIT = { ok: 0, invalid: 1, failed: 2, aborted: 130 } as const;
type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'max-sessions': { type: 'string' },
  'drain-timeout': { type: 'string' },
  token: { type: 'string' },
  'allow-origin': { type: 'string', multiple: true },
  'public-url': { type: 'string' },
  events: { type: 'string' },
  workers: { type: 'string' },
  'max-message-bytes': { type: 'string' },
  'max-message-rate': { type: 'string' },
} as const;

class UsageError extends Error {}

function integer(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new UsageError(`--${name} must be an integer ${min}..${max}, got "${text}"`);
  return value;
}

/**
 * `beluga serve PIPELINE.yaml`: serves the pipeline to live callers until SIGTERM/SIGINT, which
 * drains (a second one ends at once). Exit 0 after a drain, 1 on a bad command line or pipeline.
 */
export async function runServeCli(args: readonly string[], io: ServeIo, signals: ServeSignals): Promise<ExitCode> {
  let file: string;
  let values: ReturnType<typeof parse>['values'];
  let port: number;
  let maxSessions: number;
  let drainTimeoutMs: number;
  let workers: number;
  let limits: Partial<ConnectionLimits>;
  try {
    const parsed = parse(args);
    values = parsed.values;
    if (parsed.positionals.length !== 1) throw new UsageError('expected one pipeline file');
    file = resolve(io.cwd, parsed.positionals[0] as string);
    port = integer('port', values.port, 8080, 0, 65535);
    maxSessions = integer('max-sessions', values['max-sessions'], 100, 1, 100_000);
    drainTimeoutMs = integer('drain-timeout', values['drain-timeout'], 30, 0, 86_400) * 1000;
    workers = integer('workers', values.workers, 1, 1, availableParallelism() * 4);
    limits = {
      maxMessageBytes: integer(
        'max-message-bytes',
        values['max-message-bytes'],
        DEFAULT_LIMITS.maxMessageBytes,
        1024,
        16 * 2 ** 20,
      ),
      maxMessagesPerSecond: integer(
        'max-message-rate',
        values['max-message-rate'],
        DEFAULT_LIMITS.maxMessagesPerSecond,
        1,
        100_000,
      ),
    };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`beluga serve: ${error.message} (beluga --help for usage)\n`);
    return EXIT.invalid;
  }
  let pipeline: ServedPipeline;
  try {
    const loaded = await ServedPipeline.load(file, io.env);
    for (const warning of loaded.warnings) io.stderr.write(`warning: ${warning}\n`);
    pipeline = loaded.pipeline;
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n`);
    return EXIT.invalid;
  }
  const token = values.token ?? io.env.BELUGA_TOKEN;
  if (token) registerSecret(token);
  // Read from the environment only: a secret on the command line shows in `ps`.
  const twilioAuthToken = io.env.TWILIO_AUTH_TOKEN || undefined;
  if (twilioAuthToken) registerSecret(twilioAuthToken);
  const log = (line: string) => io.stderr.write(`${redact(line)}\n`);
  if (workers > 1) {
    if (values.events) {
      try {
        truncateSync(resolve(io.cwd, values.events));
      } catch {
        // Absent: the workers create it.
      }
    }
    return (await runClusterPrimary({ args: withoutWorkers(args), workers, log }, io, signals)) as ExitCode;
  }
  // The workers of a cluster append to the file the primary emptied.
  const events = values.events
    ? createWriteStream(resolve(io.cwd, values.events), { flags: cluster.isWorker ? 'a' : 'w' })
    : undefined;
  events?.on('error', (error) => log(`--events ${values.events}: ${error.message} (events are no longer written)`));
  let server: BelugaServer;
  try {
    server = await BelugaServer.start(pipeline, {
      port,
      host: values.host ?? '127.0.0.1',
      maxSessions,
      ...(token ? { token } : {}),
      ...(twilioAuthToken ? { twilioAuthToken } : {}),
      ...(values['public-url'] ? { publicUrl: values['public-url'] } : {}),
      allowOrigins: values['allow-origin'] ?? [],
      limits,
      log,
      ...(events
        ? { onEvent: (session, event) => events.write(`${redact(JSON.stringify({ session, ...event }))}\n`) }
        : {}),
    });
  } catch (error) {
    log(`cannot listen on ${values.host ?? '127.0.0.1'}:${port}: ${(error as Error).message}`);
    events?.end();
    return EXIT.failed;
  }
  let signalled = 0;
  let code: ExitCode = EXIT.ok;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const onSignal = () => {
    signalled++;
    if (signalled === 1) {
      log(
        `draining: ${server.host.active} live sessions, up to ${drainTimeoutMs / 1000} s (signal again to end at once)`,
      );
      void server.drain(drainTimeoutMs).then(done);
    } else if (signalled === 2) {
      log('ending every session now');
      code = EXIT.aborted;
      void server.abort().then(done);
    }
  };
  signals.on('SIGINT', onSignal);
  signals.on('SIGTERM', onSignal);
  const base = server.url;
  if (pipeline.protocols.browser)
    io.stdout.write(`browser: open ${base}/ (WebSocket ${base.replace('http', 'ws')}${PATHS.browser})\n`);
  if (pipeline.protocols.twilio) {
    const publicUrl = values['public-url'];
    const stream = twilioStreamUrl(publicUrl ?? 'wss://YOUR-PUBLIC-HOST', PATHS.twilio);
    io.stdout.write(
      `twilio: answer calls with this TwiML (Twilio needs a public wss:// URL${publicUrl ? '' : ': pass --public-url'}):\n${twimlSnippet(stream, pipeline.callNames)}\n`,
    );
  }
  io.stdout.write(`listening ${base}\n`);
  await finished;
  signals.off('SIGINT', onSignal);
  signals.off('SIGTERM', onSignal);
  await new Promise<void>((done) => (events && !events.errored ? events.end(() => done()) : done()));
  log('stopped');
  return code;
}

function parse(args: readonly string[]) {
  try {
    return parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The command line a worker runs: the same, minus `--workers N` / `--workers=N`. */
function withoutWorkers(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--workers') i++;
    else if (!args[i]?.startsWith('--workers=')) out.push(args[i] as string);
  }
  return out;
}
