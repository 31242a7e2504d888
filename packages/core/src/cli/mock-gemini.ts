import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { errorMessage } from '../secrets.js';
import { resolveFrom } from './commands.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import type { CliIo, StopSignals } from './io.js';

/** What `runGeminiMockCli` of the Gemini package takes. */
export interface GeminiMockOptions {
  readonly port?: number;
  readonly host?: string;
  readonly apiKey?: string;
  readonly scriptFile?: string;
}

type RunGeminiMockCli = (
  options: GeminiMockOptions,
  io: { out: (line: string) => void; err: (line: string) => void; signal: AbortSignal },
) => Promise<unknown>;

const PACKAGE = '@beluga-voice/provider-gemini-live';
const MODULE = `${PACKAGE}/mock`;

/** `beluga mock-gemini`: runs the Gemini Live mock of the provider package, found from the cwd or next to this core. */
export async function mockGeminiCommand(
  options: GeminiMockOptions,
  io: CliIo,
  signals: StopSignals,
): Promise<ExitCode> {
  const path = resolveFrom([join(io.cwd, 'noop.js'), import.meta.url], MODULE);
  if (!path) {
    io.stderr.write(`beluga mock-gemini needs ${PACKAGE} (npm i ${PACKAGE})\n`);
    return EXIT.invalid;
  }
  const stopSignal = new AbortController();
  const stop = () => stopSignal.abort();
  signals.on('SIGINT', stop);
  signals.on('SIGTERM', stop);
  try {
    const mock = (await import(pathToFileURL(path).href)) as { runGeminiMockCli?: RunGeminiMockCli };
    if (typeof mock.runGeminiMockCli !== 'function') {
      io.stderr.write(`${MODULE} does not export runGeminiMockCli (update ${PACKAGE})\n`);
      return EXIT.failed;
    }
    await mock.runGeminiMockCli(options, {
      out: (line) => io.stdout.write(`${line}\n`),
      err: (line) => io.stderr.write(`${line}\n`),
      signal: stopSignal.signal,
    });
    return EXIT.ok;
  } catch (error) {
    io.stderr.write(`mock-gemini failed: ${errorMessage(error)}\n`);
    return EXIT.failed;
  } finally {
    signals.off('SIGINT', stop);
    signals.off('SIGTERM', stop);
  }
}
