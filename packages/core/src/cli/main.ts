import { resolve } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import {
  graphCommand,
  type MockOptions,
  mockGeminiCommand,
  mockOpenAiCommand,
  nodesCommand,
  schemaCommand,
  validateCommand,
} from './commands.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { type CliIo, type StopSignals, UsageError } from './io.js';
import { runCommand } from './run.js';
import { serveCommand } from './serve.js';
import { COMMAND_USAGE, coreVersion, isCommand, USAGE } from './usage.js';

function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>, positionals: number) {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true }) as typeof parsed;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.positionals.length !== positionals) {
    throw new UsageError(
      positionals === 1 ? 'expected one pipeline file' : `unexpected argument "${parsed.positionals[0]}"`,
    );
  }
  return parsed;
}

function portNumber(text: unknown): number | undefined {
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be 0..65535, got "${text}"`);
  return port;
}

async function dispatch(command: string, args: string[], io: CliIo, signals: StopSignals): Promise<ExitCode> {
  switch (command) {
    case 'run': {
      const { values, positionals } = parse(args, { events: { type: 'string' }, verbose: { type: 'boolean' } }, 1);
      return runCommand(
        positionals[0],
        { events: values.events as string | undefined, verbose: values.verbose === true },
        io,
        signals,
      );
    }
    case 'validate':
      return validateCommand(parse(args, {}, 1).positionals[0], io);
    case 'graph': {
      const { values, positionals } = parse(args, { format: { type: 'string', default: 'mermaid' } }, 1);
      if (values.format !== 'mermaid' && values.format !== 'dot' && values.format !== 'yaml')
        throw new UsageError(`--format must be mermaid, dot or yaml, got "${values.format}"`);
      return graphCommand(positionals[0], values.format, io);
    }
    case 'nodes':
      return nodesCommand(parse(args, { json: { type: 'boolean' } }, 0).values.json === true, io);
    case 'schema':
      parse(args, {}, 0);
      return schemaCommand(io);
    case 'mock-openai': {
      const { values } = parse(
        args,
        {
          port: { type: 'string' },
          host: { type: 'string' },
          'api-key': { type: 'string' },
          tls: { type: 'boolean' },
          cert: { type: 'string' },
          key: { type: 'string' },
          protocol: { type: 'string' },
          script: { type: 'string' },
        },
        0,
      );
      if ((values.cert === undefined) !== (values.key === undefined))
        throw new UsageError('--cert and --key go together (PEM certificate and its private key)');
      const inCwd = (path: unknown) => (path === undefined ? undefined : resolve(io.cwd, path as string));
      if (values.protocol !== undefined && !['auto', 'ga', 'beta'].includes(values.protocol as string)) {
        throw new UsageError(`--protocol must be auto, ga or beta, got "${values.protocol}"`);
      }
      const options: MockOptions = {
        port: portNumber(values.port),
        host: values.host as string | undefined,
        apiKey: values['api-key'] as string | undefined,
        tls: values.tls === true || values.cert !== undefined,
        certFile: inCwd(values.cert),
        keyFile: inCwd(values.key),
        protocol: values.protocol as MockOptions['protocol'],
        scriptFile: inCwd(values.script),
      };
      return mockOpenAiCommand(options, io, signals);
    }
    case 'serve':
      return serveCommand(args, io, signals);
    case 'mock-gemini': {
      const { values } = parse(
        args,
        {
          port: { type: 'string' },
          host: { type: 'string' },
          'api-key': { type: 'string' },
          script: { type: 'string' },
        },
        0,
      );
      return mockGeminiCommand(
        {
          port: portNumber(values.port),
          host: values.host as string | undefined,
          apiKey: values['api-key'] as string | undefined,
          scriptFile: values.script as string | undefined,
        },
        io,
        signals,
      );
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

/** Runs one `beluga` command line and returns the exit code. */
export async function main(argv: readonly string[], io: CliIo, signals: StopSignals = process): Promise<ExitCode> {
  const [command, ...args] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? io.stderr : io.stdout).write(USAGE);
    return command === undefined ? EXIT.invalid : EXIT.ok;
  }
  if (command === '--version' || command === '-v') {
    io.stdout.write(`beluga ${coreVersion()}\n`);
    return EXIT.ok;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(isCommand(command) ? COMMAND_USAGE[command] : USAGE);
    return EXIT.ok;
  }
  try {
    return await dispatch(command, args, io, signals);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`beluga: ${error.message} (beluga --help for usage)\n`);
    return EXIT.invalid;
  }
}
