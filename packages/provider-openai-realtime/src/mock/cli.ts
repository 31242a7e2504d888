import { parseArgs } from 'node:util';
import { readReplyScriptFile, untilStopped } from '@beluga-voice/core';
import type { MockScript } from './script.js';
import { type MockServer, type MockServerOptions, startMockServer } from './server.js';

/** What `beluga mock-openai` passes once it has parsed its flags. */
export interface MockCliOptions {
  readonly port?: number;
  readonly host?: string;
  readonly apiKey?: string;
  readonly tls?: boolean;
  /** PEM files to serve wss:// with, instead of a certificate made at start. */
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly protocol?: 'auto' | 'ga' | 'beta';
  /** A JSON file holding a `MockScript` (replies, latencies): what the mock answers. */
  readonly scriptFile?: string;
}

export interface MockCliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Stops the server; without it, SIGINT or SIGTERM does. */
  readonly signal?: AbortSignal;
  /** Called once the server listens (tests use it to reach the server). */
  readonly onListening?: (server: MockServer) => void;
}

const USAGE =
  'usage: beluga mock-openai [--port N] [--host H] [--api-key KEY] [--tls [--cert FILE --key FILE]] [--protocol auto|ga|beta] [--script FILE.json]';
const DEFAULT_PORT = 8765;

/**
 * `beluga mock-openai`: starts the mock, prints `listening ws://127.0.0.1:N/v1/realtime`, serves
 * until the signal (or SIGINT/SIGTERM), then closes. Takes the command-line words or the options
 * the `beluga` CLI already parsed; rejects on bad arguments with the usage line.
 */
export async function runMockServerCli(
  input: readonly string[] | MockCliOptions,
  io: MockCliIo = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) },
): Promise<void> {
  const options = Array.isArray(input) ? parseCommandLine(input as readonly string[]) : (input as MockCliOptions);
  const port = options.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be a port number, got "${options.port}"\n${USAGE}`);
  const protocol = options.protocol ?? 'auto';
  if (!['auto', 'ga', 'beta'].includes(protocol))
    throw new Error(`--protocol must be auto, ga or beta, got "${protocol}"\n${USAGE}`);
  if ((options.certFile === undefined) !== (options.keyFile === undefined)) {
    throw new Error(`--cert and --key go together\n${USAGE}`);
  }
  const files =
    options.certFile && options.keyFile ? { certFile: options.certFile, keyFile: options.keyFile } : undefined;
  const serverOptions: MockServerOptions = {
    port,
    host: options.host,
    apiKey: options.apiKey,
    protocol,
    tls: files ?? options.tls === true,
    // A long-running mock serving many sessions keeps the sizes of the audio it receives, not the audio.
    keepAudio: false,
    ...(options.scriptFile === undefined
      ? {}
      : { script: await readReplyScriptFile<MockScript>(options.scriptFile, USAGE) }),
  };
  const server = await startMockServer(serverOptions);
  io.out(`listening ${server.url}`);
  if (options.apiKey === undefined) io.err('any API key is accepted (pass --api-key to enforce one)');
  io.onListening?.(server);
  await untilStopped(io.signal);
  await server.close();
}

const FLAGS = {
  port: { type: 'string', short: 'p' },
  host: { type: 'string' },
  'api-key': { type: 'string' },
  tls: { type: 'boolean' },
  cert: { type: 'string' },
  key: { type: 'string' },
  protocol: { type: 'string' },
  script: { type: 'string' },
} as const;

function parseCommandLine(args: readonly string[]): MockCliOptions {
  let values: ReturnType<typeof parseArgs<{ options: typeof FLAGS; strict: true }>>['values'];
  try {
    values = parseArgs({ args: [...args], strict: true, options: FLAGS }).values;
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${USAGE}`);
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !Number.isInteger(port))
    throw new Error(`--port must be a port number, got "${values.port}"\n${USAGE}`);
  return {
    port,
    host: values.host,
    apiKey: values['api-key'],
    tls: values.tls === true,
    certFile: values.cert,
    keyFile: values.key,
    protocol: values.protocol as MockCliOptions['protocol'],
    scriptFile: values.script,
  };
}
