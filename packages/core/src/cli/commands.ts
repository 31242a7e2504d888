import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { errorMessage } from '../secrets.js';
import { pipelineJsonSchema } from '../yaml/json-schema.js';
import { graphSpecToYaml } from '../yaml/to-yaml.js';
import { type DiagramFormat, toDot, toMermaid } from './diagram.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import type { CliIo, StopSignals } from './io.js';
import { installedRegistry, loadForCli, STDIN_NAME } from './load.js';
import { describeNode, formatNodeList } from './node-fields.js';

/** Checks the file and, as `run` would, opens what its nodes read (audio files, tool modules). */
export async function validateCommand(file: string, io: CliIo): Promise<ExitCode> {
  const loaded = await loadForCli(file, io, { checkResources: true });
  if (typeof loaded === 'number') return loaded;
  const graph = loaded.graph!;
  const inserted = graph.inserted.map((c) => `\n  inserts ${c.converter} as "${c.node}" (${c.reason})`).join('');
  io.stdout.write(
    `${file === '-' ? STDIN_NAME : file}: ok (${graph.nodes.size} nodes, ${graph.links.length} links)${inserted}\n`,
  );
  return EXIT.ok;
}

/** `yaml` prints the graph as built (converters inserted by autoConvert included), secrets as variables. */
export async function graphCommand(file: string, format: DiagramFormat | 'yaml', io: CliIo): Promise<ExitCode> {
  const loaded = await loadForCli(file, io);
  if (typeof loaded === 'number') return loaded;
  const graph = loaded.graph!;
  const text =
    format === 'dot'
      ? toDot(graph)
      : format === 'yaml'
        ? graphSpecToYaml(graph.spec, loaded.registry, { plugins: loaded.plugins, templates: loaded.templates })
        : toMermaid(graph);
  io.stdout.write(text);
  return EXIT.ok;
}

export async function nodesCommand(json: boolean, io: CliIo): Promise<ExitCode> {
  const registry = await installedRegistry(io);
  const infos = registry.entries().map(describeNode);
  if (json) io.stdout.write(`${JSON.stringify(infos, null, 2)}\n`);
  else if (infos.length === 0) io.stdout.write('no node packages found (npm i @beluga-voice/nodes-audio …)\n');
  else io.stdout.write(formatNodeList(infos));
  return EXIT.ok;
}

export async function schemaCommand(io: CliIo): Promise<ExitCode> {
  const registry = await installedRegistry(io);
  io.stdout.write(`${JSON.stringify(pipelineJsonSchema(registry), null, 2)}\n`);
  return EXIT.ok;
}

/** What `runMockServerCli` of the provider package takes. */
export interface MockOptions {
  readonly port?: number;
  readonly host?: string;
  readonly apiKey?: string;
  readonly tls: boolean;
  /** PEM files to serve wss:// with, instead of a certificate made at start. */
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly protocol?: 'auto' | 'ga' | 'beta';
  /** A JSON reply script for the mock (its `MockScript`). */
  readonly scriptFile?: string;
}

/** The provider package's entry point for `beluga mock-openai`. */
type RunMockServerCli = (
  options: MockOptions,
  io: { out: (line: string) => void; err: (line: string) => void; signal: AbortSignal },
) => Promise<unknown>;

const MOCK_MODULE = '@beluga-voice/provider-openai-realtime/mock';

/** Runs the OpenAI Realtime mock of the provider package, found from the cwd or next to this core. */
export async function mockOpenAiCommand(options: MockOptions, io: CliIo, signals: StopSignals): Promise<ExitCode> {
  const path = resolveFrom([join(io.cwd, 'noop.js'), import.meta.url], MOCK_MODULE);
  if (!path) {
    io.stderr.write(
      `beluga mock-openai needs @beluga-voice/provider-openai-realtime (npm i @beluga-voice/provider-openai-realtime)\n`,
    );
    return EXIT.invalid;
  }
  // Listening for Ctrl-C before the server starts, so that an early one stops it instead of killing the process.
  const stopSignal = new AbortController();
  const stop = () => stopSignal.abort();
  signals.on('SIGINT', stop);
  signals.on('SIGTERM', stop);
  try {
    const mock = (await import(pathToFileURL(path).href)) as { runMockServerCli?: RunMockServerCli };
    if (typeof mock.runMockServerCli !== 'function') {
      io.stderr.write(
        `${MOCK_MODULE} does not export runMockServerCli (update @beluga-voice/provider-openai-realtime)\n`,
      );
      return EXIT.failed;
    }
    await mock.runMockServerCli(options, {
      out: (line) => io.stdout.write(`${line}\n`),
      err: (line) => io.stderr.write(`${line}\n`),
      signal: stopSignal.signal,
    });
    return EXIT.ok;
  } catch (error) {
    io.stderr.write(`mock-openai failed: ${errorMessage(error)}\n`);
    return EXIT.failed;
  } finally {
    signals.off('SIGINT', stop);
    signals.off('SIGTERM', stop);
  }
}

/** The path of `specifier` as installed next to the first of `bases` that has it. */
export function resolveFrom(bases: readonly string[], specifier: string): string | undefined {
  for (const base of bases) {
    try {
      return createRequire(base).resolve(specifier);
    } catch {
      // not installed there; try the next place
    }
  }
  return undefined;
}
