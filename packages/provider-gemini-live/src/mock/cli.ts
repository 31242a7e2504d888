import { readReplyScriptFile, untilStopped } from '@beluga-voice/core';
import type { GeminiMockScript } from './script.js';
import { type GeminiMockServer, startGeminiMockServer } from './server.js';

/** What `beluga mock-gemini` passes once it has parsed its flags. */
export interface GeminiMockCliOptions {
  readonly port?: number;
  readonly host?: string;
  readonly apiKey?: string;
  /** A JSON file holding a `GeminiMockScript` (replies, pacing). */
  readonly scriptFile?: string;
}

export interface GeminiMockCliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Stops the server; without it, SIGINT or SIGTERM does. */
  readonly signal?: AbortSignal;
  readonly onListening?: (server: GeminiMockServer) => void;
}

const USAGE = 'usage: beluga mock-gemini [--port N] [--host H] [--api-key KEY] [--script FILE.json]';
const DEFAULT_PORT = 8766;

/** `beluga mock-gemini`: starts the mock, prints `listening ws://127.0.0.1:N`, serves until stopped. */
export async function runGeminiMockCli(options: GeminiMockCliOptions, io: GeminiMockCliIo): Promise<void> {
  const port = options.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be a port number, got "${options.port}"\n${USAGE}`);
  const script =
    options.scriptFile === undefined
      ? undefined
      : await readReplyScriptFile<GeminiMockScript>(options.scriptFile, USAGE);
  const server = await startGeminiMockServer({
    port,
    host: options.host,
    apiKey: options.apiKey,
    ...(script ? { script } : {}),
  });
  io.out(`listening ${server.url}`);
  if (options.apiKey === undefined) io.err('any API key is accepted (pass --api-key to enforce one)');
  io.onListening?.(server);
  await untilStopped(io.signal);
  await server.close();
}
