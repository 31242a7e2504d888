import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join, parse, resolve } from 'node:path';

/** A package that declares Beluga nodes in its package.json (`"beluga": { "nodes": "./dist/nodes.js" }`). */
export interface NodePackage {
  readonly name: string;
  readonly version?: string;
  /** The package folder, symlinks resolved. */
  readonly dir: string;
  /** Absolute path of the module that exports `nodes`. */
  readonly nodesModule: string;
}

interface PackageJson {
  readonly name?: string;
  readonly version?: string;
  readonly beluga?: { readonly nodes?: unknown };
}

/** Reads `dir/package.json` as a node package, or `undefined` when it declares no nodes. */
export function readNodePackage(dir: string): NodePackage | undefined {
  let json: PackageJson;
  try {
    json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
  } catch {
    return undefined;
  }
  const nodes = json.beluga?.nodes;
  if (typeof nodes !== 'string' || !json.name) return undefined;
  const real = realpathSync(dir);
  return { name: json.name, version: json.version, dir: real, nodesModule: resolve(real, nodes) };
}

/** Every `node_modules` folder Node would search from `start`, nearest first. */
export function nodeModulesChain(start: string): string[] {
  const out: string[] = [];
  let dir = resolve(start);
  const root = parse(dir).root;
  for (;;) {
    if (basename(dir) !== 'node_modules' && existsSync(join(dir, 'node_modules'))) out.push(join(dir, 'node_modules'));
    if (dir === root) return out;
    dir = dirname(dir);
  }
}

function packageDirsIn(nodeModules: string): string[] {
  const out: string[] = [];
  for (const entry of safeReaddir(nodeModules)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      for (const scoped of safeReaddir(join(nodeModules, entry))) out.push(join(nodeModules, entry, scoped));
    } else {
      out.push(join(nodeModules, entry));
    }
  }
  return out;
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/**
 * The node packages installed where Node would resolve packages from each of `starts`. When the
 * same name is found twice, the first one (nearest to the first start folder) wins, as in Node.
 */
export function findNodePackages(starts: readonly string[]): NodePackage[] {
  const byName = new Map<string, NodePackage>();
  for (const start of starts) {
    for (const nodeModules of nodeModulesChain(start)) {
      for (const dir of packageDirsIn(nodeModules)) {
        const pkg = readNodePackage(dir);
        if (pkg && !byName.has(pkg.name)) byName.set(pkg.name, pkg);
      }
    }
  }
  return [...byName.values()];
}

/** Finds `name` in the `node_modules` folders above `start`, as `require.resolve` would. */
export function findInstalledPackage(name: string, start: string): string | undefined {
  for (const nodeModules of nodeModulesChain(start)) {
    const dir = join(nodeModules, ...name.split('/'));
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  return undefined;
}
