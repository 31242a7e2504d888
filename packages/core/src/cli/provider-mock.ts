import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { errorMessage } from '../secrets.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import type { CliIo, StopSignals } from './io.js';
import { resolveFrom } from './resolve-installed.js';

/** A provider package's mock server, as a `beluga` command runs it. */
export interface ProviderMock {
  /** e.g. `mock-gemini` */
  readonly command: string;
  /** e.g. `@beluga-voice/provider-gemini-live` (its `/mock` export is loaded) */
  readonly packageName: string;
  /** The function of the `/mock` module that runs the server until the signal. */
  readonly exportName: string;
}

type RunMockCli = (
  options: object,
  io: { out: (line: string) => void; err: (line: string) => void; signal: AbortSignal },
) => Promise<unknown>;

/** Runs the mock of a provider package, found from the cwd or next to this core, until Ctrl-C. */
export async function runProviderMock(
  mock: ProviderMock,
  options: object,
  io: CliIo,
  signals: StopSignals,
): Promise<ExitCode> {
  const module = `${mock.packageName}/mock`;
  const path = resolveFrom([join(io.cwd, 'noop.js'), import.meta.url], module);
  if (!path) {
    io.stderr.write(`beluga ${mock.command} needs ${mock.packageName} (npm i ${mock.packageName})\n`);
    return EXIT.invalid;
  }
  // Listening for Ctrl-C before the server starts, so that an early one stops it instead of killing the process.
  const stopSignal = new AbortController();
  const stop = () => stopSignal.abort();
  signals.on('SIGINT', stop);
  signals.on('SIGTERM', stop);
  try {
    const run = ((await import(pathToFileURL(path).href)) as Record<string, unknown>)[mock.exportName];
    if (typeof run !== 'function') {
      io.stderr.write(`${module} does not export ${mock.exportName} (update ${mock.packageName})\n`);
      return EXIT.failed;
    }
    await (run as RunMockCli)(options, {
      out: (line) => io.stdout.write(`${line}\n`),
      err: (line) => io.stderr.write(`${line}\n`),
      signal: stopSignal.signal,
    });
    return EXIT.ok;
  } catch (error) {
    io.stderr.write(`${mock.command} failed: ${errorMessage(error)}\n`);
    return EXIT.failed;
  } finally {
    signals.off('SIGINT', stop);
    signals.off('SIGTERM', stop);
  }
}
