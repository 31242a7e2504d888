import { formatFileIssue } from '../yaml/file-issue.js';
import { pipelineJsonSchema } from '../yaml/json-schema.js';
import { graphSpecToYaml } from '../yaml/to-yaml.js';
import { type DiagramFormat, toDot, toMermaid } from './diagram.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import type { CliIo, StopSignals } from './io.js';
import { installedRegistry, loadForCli, STDIN_NAME } from './load.js';
import { describeNode, formatNodeList } from './node-fields.js';
import { runProviderMock } from './provider-mock.js';

/** Checks the file and, as `run` would, opens what its nodes read (audio files, tool modules). */
export async function validateCommand(file: string, io: CliIo): Promise<ExitCode> {
  const loaded = await loadForCli(file, io, { checkResources: true });
  if (typeof loaded === 'number') return loaded;
  const graph = loaded.graph!;
  for (const w of loaded.graphWarnings) io.stderr.write(`warning: ${formatFileIssue(w)}\n`);
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

/** Runs the OpenAI Realtime mock of the provider package, found from the cwd or next to this core. */
export function mockOpenAiCommand(options: MockOptions, io: CliIo, signals: StopSignals): Promise<ExitCode> {
  return runProviderMock(
    { command: 'mock-openai', packageName: '@beluga-voice/provider-openai-realtime', exportName: 'runMockServerCli' },
    options,
    io,
    signals,
  );
}

/** What `runGeminiMockCli` of the Gemini package takes. */
export interface GeminiMockOptions {
  readonly port?: number;
  readonly host?: string;
  readonly apiKey?: string;
  readonly scriptFile?: string;
}

/** Runs the Gemini Live mock of the provider package. */
export function mockGeminiCommand(options: GeminiMockOptions, io: CliIo, signals: StopSignals): Promise<ExitCode> {
  return runProviderMock(
    { command: 'mock-gemini', packageName: '@beluga-voice/provider-gemini-live', exportName: 'runGeminiMockCli' },
    options,
    io,
    signals,
  );
}
