import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { errorMessage } from '../secrets.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import type { CliIo, StopSignals } from './io.js';
import { resolveFrom } from './resolve-installed.js';

/** The transport package's entry point for `beluga serve`: it parses its own options. */
type RunServeCli = (args: readonly string[], io: CliIo, signals: StopSignals) => Promise<ExitCode>;

const SERVE_MODULE = '@beluga-voice/transport-websocket/serve';

/**
 * `beluga serve` lives in @beluga-voice/transport-websocket (core does not depend on it): found
 * from the cwd or next to this core, and loaded on demand.
 */
export async function serveCommand(args: readonly string[], io: CliIo, signals: StopSignals): Promise<ExitCode> {
  const path = resolveFrom([join(io.cwd, 'noop.js'), import.meta.url], SERVE_MODULE);
  if (!path) {
    io.stderr.write('beluga serve needs @beluga-voice/transport-websocket (npm i @beluga-voice/transport-websocket)\n');
    return EXIT.invalid;
  }
  try {
    const serve = (await import(pathToFileURL(path).href)) as { runServeCli?: RunServeCli };
    if (typeof serve.runServeCli !== 'function') {
      io.stderr.write(`${SERVE_MODULE} does not export runServeCli (update @beluga-voice/transport-websocket)\n`);
      return EXIT.failed;
    }
    return await serve.runServeCli(args, io, signals);
  } catch (error) {
    io.stderr.write(`serve failed: ${errorMessage(error)}\n`);
    return EXIT.failed;
  }
}
