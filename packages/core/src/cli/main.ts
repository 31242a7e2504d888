import { type ParseArgsConfig, parseArgs } from 'node:util';
import {
  graphCommand,
  type MockOptions,
  mockOpenAiCommand,
  nodesCommand,
  schemaCommand,
  validateCommand,
} from './commands.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { type CliIo, type StopSignals, UsageError } from './io.js';
import { runCommand } from './run.js';
import { serveCommand } from './serve.js';

export const USAGE = `beluga: run and inspect Beluga Voice pipelines

usage:
  beluga run <pipeline.yaml> [--events FILE] [--verbose]
      build and run; progress and live metrics on stderr; --events writes every bus
      event and non-audio frame as JSON lines. Ctrl-C (or SIGTERM) drains, a second one aborts.
  beluga validate <pipeline.yaml>       check types, config, links and caps without running
  beluga graph <pipeline.yaml> [--format mermaid|dot|yaml]
      prints the graph as built; yaml writes it back as a pipeline file (secrets as \${VARIABLES})
  beluga nodes [--json]                 installed node types and their config fields
  beluga schema                         JSON Schema of pipeline files for the installed nodes
                                        (for yaml-language-server: beluga schema > pipeline.schema.json)
  beluga mock-openai [--port N] [--host H] [--api-key K] [--tls] [--protocol auto|ga|beta] [--script FILE.json]
                                        the OpenAI Realtime mock server (needs @beluga-voice/provider-openai-realtime);
                                        prints "listening ws://127.0.0.1:N/v1/realtime" and serves until Ctrl-C
  beluga serve <pipeline.yaml> [--port N] [--host H] [--max-sessions N] [--drain-timeout S] [--token T]
               [--allow-origin URL]... [--public-url URL] [--events FILE]
                                        serves the pipeline to live callers, one instance per connection: a browser
                                        page at /, Twilio Media Streams at /twilio, /healthz, /readyz, /metrics
                                        (needs @beluga-voice/transport-websocket); SIGTERM drains, a second one ends at once

exit codes:
  0    success (run: the pipeline ended, or drained after Ctrl-C)
  1    invalid pipeline file or command line (every problem is listed as file:line:column)
  2    the pipeline or the command failed at run time
  130  aborted by a second Ctrl-C
`;

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
          protocol: { type: 'string' },
          script: { type: 'string' },
        },
        0,
      );
      if (values.protocol !== undefined && !['auto', 'ga', 'beta'].includes(values.protocol as string)) {
        throw new UsageError(`--protocol must be auto, ga or beta, got "${values.protocol}"`);
      }
      const options: MockOptions = {
        port: portNumber(values.port),
        host: values.host as string | undefined,
        apiKey: values['api-key'] as string | undefined,
        tls: values.tls === true,
        protocol: values.protocol as MockOptions['protocol'],
        scriptFile: values.script as string | undefined,
      };
      return mockOpenAiCommand(options, io, signals);
    }
    case 'serve':
      return serveCommand(args, io, signals);
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
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(USAGE);
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
