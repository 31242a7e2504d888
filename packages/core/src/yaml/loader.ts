import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { discoverNodes } from '../discovery/discover.js';
import { Graph } from '../graph/graph.js';
import type { GraphIssue, GraphSpec, IssuePath, LinkDecl } from '../graph/model.js';
import { validateGraph } from '../graph/validate.js';
import type { Registry } from '../registry.js';
import { checkNodeResources } from './check-resources.js';
import { type FileIssue, sortIssues } from './file-issue.js';
import type { Env } from './interpolate.js';
import { type ParsedPipeline, parsePipeline, undecodablePipeline } from './parse-pipeline.js';
import { readLinks } from './read-links.js';
import { readNodes } from './read-nodes.js';
import { decodeUtf8 } from './utf8.js';

export interface LoadOptions {
  readonly registry: Registry;
  /** Variables for `${VAR}`; defaults to `process.env`. */
  readonly env?: Env;
  /** The name used in messages (and, unless `baseDir` is given, the folder relative paths start from). */
  readonly file?: string;
  readonly baseDir?: string;
  /** Overrides the file's `autoConvert`. */
  readonly autoConvert?: boolean;
}

export interface LoadFileOptions extends Omit<LoadOptions, 'registry' | 'file'> {
  /** The node types to check against; discovered around the file (and its `plugins:`) when absent. */
  readonly registry?: Registry;
  /**
   * Also open what the nodes read (audio files, tool modules…) as a run would, through each
   * node type's `check`, when the file itself is valid (`beluga validate`).
   */
  readonly checkResources?: boolean;
}

export interface LoadedPipeline {
  /** The graph as declared (what was valid of it, when there are issues). */
  readonly spec: GraphSpec;
  /** Set when there is no issue at all. */
  readonly graph?: Graph;
  readonly issues: readonly FileIssue[];
  readonly registry: Registry;
  /** Folder that relative paths in node configs resolve against: pass it to `graph.start`. */
  readonly baseDir: string;
  /** The file's `plugins:` list. */
  readonly plugins: readonly string[];
  /** Installed node packages that could not be loaded (they only matter if the pipeline uses their types). */
  readonly warnings: readonly string[];
  /** The graph's own warnings (`graph.warnings`), placed in the file, in file order. */
  readonly graphWarnings: readonly FileIssue[];
  /**
   * Every value that used `${…}`, as written, by `JSON.stringify` of its path in the file
   * (`["nodes","agent","config","baseUrl"]`): `graphSpecToYaml` writes them back unresolved.
   */
  readonly templates: ReadonlyMap<string, string>;
}

/** Reads, checks and builds a pipeline file, discovering the installed node packages unless given a registry. */
export async function loadPipelineFile(path: string, options: LoadFileOptions = {}): Promise<LoadedPipeline> {
  const decoded = decodeUtf8(await readFile(path));
  const parsed =
    'error' in decoded
      ? undecodablePipeline(path, decoded.error)
      : parsePipeline(decoded.text, path, options.env ?? process.env);
  return loadParsed(path, parsed, options);
}

/**
 * As `loadPipelineFile`, for text read elsewhere (stdin): `path` names it in messages and, unless
 * `baseDir` is given, gives the folder relative paths start from.
 */
export async function loadPipelineSource(
  text: string,
  path: string,
  options: LoadFileOptions = {},
): Promise<LoadedPipeline> {
  return loadParsed(path, parsePipeline(text, path, options.env ?? process.env), options);
}

async function loadParsed(path: string, parsed: ParsedPipeline, options: LoadFileOptions): Promise<LoadedPipeline> {
  const loaded = await checkParsedFile(path, parsed, options);
  if (!options.checkResources || !loaded.graph) return loaded;
  const issues = await checkNodeResources(loaded.graph, parsed, loaded.baseDir);
  return issues.length === 0 ? loaded : { ...loaded, graph: undefined, issues: sortIssues(issues) };
}

async function checkParsedFile(
  path: string,
  parsed: ParsedPipeline,
  options: LoadFileOptions,
): Promise<LoadedPipeline> {
  const baseDir = options.baseDir ?? dirname(resolve(path));
  if (options.registry) return checkPipeline(parsed, { ...options, registry: options.registry, baseDir });
  const discovery = await discoverNodes({ plugins: parsed.plugins, baseDir, searchFrom: [baseDir, process.cwd()] });
  const loaded = checkPipeline(parsed, { ...options, registry: discovery.registry, baseDir });
  const problems = discovery.problems.filter((p) => p.plugin !== undefined);
  const warnings = discovery.problems.filter((p) => p.plugin === undefined).map((p) => p.message);
  if (problems.length === 0) return { ...loaded, warnings };
  const pluginIssues = problems.map((p) =>
    parsed.issueAt(['plugins', p.plugin as number], 'value', 'plugin', p.message),
  );
  return { ...loaded, graph: undefined, issues: sortIssues([...pluginIssues, ...loaded.issues]), warnings };
}

/** Checks and builds a pipeline from YAML text; every problem is reported at once, with its position. */
export function loadPipeline(text: string, options: LoadOptions): LoadedPipeline {
  const file = options.file ?? '<pipeline>';
  const baseDir = options.baseDir ?? (options.file ? dirname(resolve(options.file)) : process.cwd());
  return checkPipeline(parsePipeline(text, file, options.env ?? process.env), { ...options, baseDir });
}

interface CheckOptions extends LoadOptions {
  readonly baseDir: string;
}

function checkPipeline(parsed: ParsedPipeline, options: CheckOptions): LoadedPipeline {
  const { registry, baseDir } = options;
  const issues = [...parsed.issues];
  const { doc, data } = parsed;
  const templates = parsed.variables.templates;
  if (!doc || !data)
    return {
      spec: { nodes: [], links: [] },
      issues,
      registry,
      baseDir,
      plugins: parsed.plugins,
      warnings: [],
      graphWarnings: [],
      templates,
    };
  const skipped = new Set<string>();
  const nodes = readNodes(parsed, doc, registry, issues, skipped);
  const hops = new Map<string, LinkDecl>();
  const rejected: LinkDecl[] = [];
  const links = readLinks(parsed, doc, data, issues, hops, rejected);
  const spec: GraphSpec = {
    ...(data.name !== undefined ? { name: data.name } : {}),
    nodes,
    links,
    ...(data.autoConvert !== undefined ? { autoConvert: data.autoConvert } : {}),
  };
  const result = validateGraph(spec, { registry, autoConvert: options.autoConvert, baseDir });
  const variablePaths = parsed.variables.problems.map((p) => p.path);
  for (const issue of result.issues) {
    if (variablePaths.some((p) => startsWith(issue.path ?? [], p))) continue;
    if (issue.code === 'unknown-node' && refersTo(issue.path, hops, skipped)) continue;
    if (issue.code === 'unlinked-input' && declaredInput(issue, spec, [...links, ...rejected], registry)) continue;
    issues.push(parsed.issueAt(issue.path ?? [], targetOf(issue), issue.code, issue.message, issue.fix));
  }
  const graph = issues.length === 0 && result.graph ? new Graph(result.graph) : undefined;
  const graphWarnings = (graph?.warnings ?? []).map((w) =>
    parsed.issueAt(w.path ?? [], 'value', w.code, w.message, w.fix),
  );
  return {
    spec,
    ...(graph ? { graph } : {}),
    issues: sortIssues(issues),
    registry,
    baseDir,
    plugins: parsed.plugins,
    warnings: [],
    graphWarnings: sortIssues(graphWarnings),
    templates,
  };
}

function targetOf(issue: GraphIssue): 'key' | 'value' {
  const path = issue.path ?? [];
  if (path.length === 2 && path[0] === 'nodes') return 'key';
  return /unknown config key/.test(issue.message) ? 'key' : 'value';
}

/**
 * An input the file does link, through a link that failed for another reason (reported on its
 * own, including a link rejected for its queue): not "unlinked" in the user's eyes.
 */
function declaredInput(issue: GraphIssue, spec: GraphSpec, links: readonly LinkDecl[], registry: Registry): boolean {
  const id = issue.path?.[1];
  const port = /required input "([^"]+)"/.exec(issue.message)?.[1];
  const node = spec.nodes.find((n) => n.id === id);
  const inputs = Object.keys(registry.get(node?.type ?? '')?.inputs ?? {});
  return links.some((l) => l.to.node === id && (l.to.port ?? inputs[0]) === port);
}

function refersTo(path: IssuePath | undefined, hops: Map<string, LinkDecl>, ids: Set<string>): boolean {
  if (!path) return false;
  const hop = hops.get(JSON.stringify(path.slice(0, -1)));
  const side = path.at(-1);
  const end = side === 'from' ? hop?.from : side === 'to' ? hop?.to : undefined;
  return end !== undefined && ids.has(end.node);
}

function startsWith(path: IssuePath, prefix: IssuePath): boolean {
  return prefix.length <= path.length && prefix.every((k, i) => String(path[i]) === String(k));
}
