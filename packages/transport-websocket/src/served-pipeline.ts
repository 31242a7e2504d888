import { readFile } from 'node:fs/promises';
import {
  type AudioFormat,
  type Env,
  formatFileIssue,
  formatFileIssues,
  type Graph,
  type LoadedPipeline,
  loadPipeline,
  loadPipelineFile,
} from '@beluga-voice/core';
import type { BrowserFormats } from './browser-call.js';

const CALL_REFERENCE = /\$\{call\.([A-Za-z_][A-Za-z0-9_]*)/g;

/** Which callers a pipeline can serve, from the transport nodes it uses. */
export interface ServedProtocols {
  readonly browser?: BrowserFormats;
  readonly twilio: boolean;
}

/**
 * The validated pipeline every connection runs an instance of. A call's parameters reach it only
 * as the `${call.NAME}` references the file declares: interpolated into parsed values, never into
 * YAML text, so a caller cannot add or change config.
 */
export class ServedPipeline {
  private constructor(
    readonly file: string,
    private readonly text: string,
    private readonly loaded: LoadedPipeline & { graph: Graph },
    private readonly env: Env,
    /** The `call.NAME` names the file references. */
    readonly callNames: ReadonlySet<string>,
    readonly protocols: ServedProtocols,
  ) {}

  /** Loads and checks the file; throws with every problem listed when it is not servable. */
  static async load(file: string, env: Env): Promise<{ pipeline: ServedPipeline; warnings: readonly string[] }> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new Error(`${file}: cannot read the pipeline: ${(error as Error).message}`);
    }
    const callNames = new Set([...text.matchAll(CALL_REFERENCE)].map((m) => m[1] as string));
    // Unset until a call brings them: `${call.NAME:-default}` takes its default at startup.
    const baseEnv: Env = { ...env, ...Object.fromEntries([...callNames].map((n) => [`call.${n}`, ''])) };
    const loaded = await loadPipelineFile(file, { env: baseEnv });
    if (!loaded.graph) {
      const count = loaded.issues.length;
      throw new Error(`${formatFileIssues(loaded.issues)}\n${file}: ${count} problem${count === 1 ? '' : 's'}`);
    }
    const graph = loaded.graph;
    const protocols = protocolsOf(graph);
    if (!protocols.browser && !protocols.twilio) {
      throw new Error(
        `${file}: no transport node, so no caller can reach it: use transport.browser-in/-out or transport.twilio-in/-out in place of the file source and sink`,
      );
    }
    return {
      pipeline: new ServedPipeline(file, text, { ...loaded, graph }, baseEnv, callNames, protocols),
      // The graph's own warnings (a provider whose turns never end) too: a caller would only hear silence.
      warnings: [...loaded.warnings, ...loaded.graphWarnings.map(formatFileIssue)],
    };
  }

  get baseDir(): string {
    return this.loaded.baseDir;
  }

  /** The graph for one call: the shared one, unless the call brings values for declared names. */
  graphFor(parameters: Readonly<Record<string, string>>): Graph {
    const values = Object.entries(parameters).filter(([name]) => this.callNames.has(name));
    if (values.length === 0) return this.loaded.graph;
    const env: Env = { ...this.env, ...Object.fromEntries(values.map(([n, v]) => [`call.${n}`, v])) };
    const loaded = loadPipeline(this.text, {
      registry: this.loaded.registry,
      env,
      file: this.file,
      baseDir: this.loaded.baseDir,
    });
    if (!loaded.graph)
      throw new Error(`the call's parameters make the pipeline invalid: ${formatFileIssues(loaded.issues)}`);
    return loaded.graph;
  }
}

function protocolsOf(graph: Graph): ServedProtocols {
  const types = [...graph.nodes.values()];
  const formatOf = (type: string, side: 'inputs' | 'outputs'): AudioFormat | undefined =>
    types.find((n) => n.spec.type === type)?.formats[side].audio;
  const input = formatOf('transport.browser-in', 'outputs');
  const output = formatOf('transport.browser-out', 'inputs');
  return {
    ...(input && output ? { browser: { input, output } } : {}),
    twilio: types.some((n) => n.spec.type === 'transport.twilio-in'),
  };
}
