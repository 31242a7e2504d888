import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AnyNodeSpec } from '../node.js';
import { Registry } from '../registry.js';
import { errorMessage } from '../secrets.js';
import { findInstalledPackage, findNodePackages, type NodePackage, readNodePackage } from './find-packages.js';

export interface DiscoveryOptions {
  /** Folders to search `node_modules` from (the YAML file's folder, then the cwd). */
  readonly searchFrom?: readonly string[];
  /** Explicit plugins: package names, or paths (relative to `baseDir`) of modules or package folders. */
  readonly plugins?: readonly string[];
  /** Where relative plugin paths and plugin package names resolve from. */
  readonly baseDir?: string;
  /** Registers the nodes of this copy of `@beluga-voice/core` first (default `true`). */
  readonly includeCore?: boolean;
}

export interface DiscoveredPackage {
  readonly name: string;
  readonly version?: string;
  readonly dir?: string;
  readonly nodesModule: string;
  readonly types: readonly string[];
  readonly via: 'core' | 'plugin' | 'node_modules';
}

export interface DiscoveryProblem {
  readonly message: string;
  /** Index in `plugins` when the problem is an explicit plugin. */
  readonly plugin?: number;
}

export interface Discovery {
  readonly registry: Registry;
  readonly packages: readonly DiscoveredPackage[];
  readonly problems: readonly DiscoveryProblem[];
}

interface Candidate {
  readonly name: string;
  readonly version?: string;
  readonly dir?: string;
  readonly nodesModule: string;
  readonly via: DiscoveredPackage['via'];
  readonly plugin?: number;
}

/**
 * Builds a registry from the node packages installed around the pipeline: this core's own nodes,
 * the explicit plugins, then every package in reach that declares `beluga.nodes`. A package found
 * twice (by name or folder) is loaded once; the first place wins.
 */
export async function discoverNodes(options: DiscoveryOptions = {}): Promise<Discovery> {
  const baseDir = resolve(options.baseDir ?? process.cwd());
  const problems: DiscoveryProblem[] = [];
  const candidates: Candidate[] = [];
  if (options.includeCore ?? true) {
    const core = ownPackage();
    if (core) candidates.push({ ...core, via: 'core' });
  }
  (options.plugins ?? []).forEach((plugin, index) => {
    const found = resolvePlugin(plugin, baseDir);
    if (typeof found === 'string') problems.push({ message: found, plugin: index });
    else candidates.push({ ...found, via: 'plugin', plugin: index });
  });
  for (const pkg of findNodePackages(options.searchFrom ?? [baseDir, process.cwd()])) {
    candidates.push({ ...pkg, via: 'node_modules' });
  }

  const registry = new Registry();
  const packages: DiscoveredPackage[] = [];
  const seen = new Set<string>();
  for (const candidate of candidates) {
    if (seen.has(candidate.name) || seen.has(candidate.nodesModule)) continue;
    seen.add(candidate.name).add(candidate.nodesModule);
    const loaded = await loadNodes(candidate);
    if (typeof loaded === 'string') {
      problems.push({ message: loaded, plugin: candidate.plugin });
      continue;
    }
    const types: string[] = [];
    for (const spec of loaded) {
      try {
        registry.register(spec, candidate.name);
        types.push(spec.type);
      } catch (error) {
        problems.push({ message: errorMessage(error), plugin: candidate.plugin });
      }
    }
    packages.push({ ...candidate, types });
  }
  return { registry, packages, problems };
}

/** The package.json of the `@beluga-voice/core` this module belongs to. */
function ownPackage(): NodePackage | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = readNodePackage(dir);
    if (pkg) return pkg;
    if (existsSync(join(dir, 'package.json')) || dirname(dir) === dir) return undefined;
    dir = dirname(dir);
  }
}

function isPath(plugin: string): boolean {
  return plugin.startsWith('.') || isAbsolute(plugin);
}

function resolvePlugin(plugin: string, baseDir: string): Omit<Candidate, 'via'> | string {
  if (isPath(plugin)) {
    const path = resolve(baseDir, plugin);
    if (!existsSync(path)) return `plugin "${plugin}" not found (looked for ${path})`;
    if (!statSync(path).isDirectory()) return { name: plugin, nodesModule: path };
    const pkg = readNodePackage(path);
    return pkg ?? `plugin "${plugin}" is a folder without a package.json declaring "beluga": { "nodes": ... }`;
  }
  const dir = findInstalledPackage(plugin, baseDir);
  if (!dir) return `plugin package "${plugin}" is not installed (npm i ${plugin})`;
  return (
    readNodePackage(dir) ?? `package "${plugin}" declares no nodes (no "beluga": { "nodes": ... } in its package.json)`
  );
}

async function loadNodes(candidate: Candidate): Promise<readonly AnyNodeSpec[] | string> {
  if (!existsSync(candidate.nodesModule)) {
    return `${candidate.name}: node module ${candidate.nodesModule} does not exist (is the package built?)`;
  }
  let module: { nodes?: unknown };
  try {
    module = (await import(pathToFileURL(candidate.nodesModule).href)) as { nodes?: unknown };
  } catch (error) {
    return `${candidate.name}: cannot load ${candidate.nodesModule}: ${errorMessage(error)}`;
  }
  if (!Array.isArray(module.nodes) || !module.nodes.every(isNodeSpec)) {
    return `${candidate.name}: ${candidate.nodesModule} must export \`nodes\`, an array of node specs (defineNode)`;
  }
  return module.nodes;
}

function isNodeSpec(value: unknown): value is AnyNodeSpec {
  const spec = value as Partial<AnyNodeSpec> | null;
  return (
    typeof spec === 'object' &&
    spec !== null &&
    typeof spec.type === 'string' &&
    typeof spec.create === 'function' &&
    typeof spec.config === 'object'
  );
}
