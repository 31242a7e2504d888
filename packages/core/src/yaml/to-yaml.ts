import { stringify } from 'yaml';
import { endpointToString } from '../graph/endpoint.js';
import type { Endpoint, GraphSpec, LinkDecl, NodeDecl } from '../graph/model.js';
import type { Registry } from '../registry.js';
import { expandPath } from './object-path.js';
import { referenceSecrets } from './secret-references.js';

export interface ToYamlOptions {
  /** Adds a `# yaml-language-server: $schema=…` line so editors check the file. */
  readonly schemaUrl?: string;
  /** The file's `plugins:` (a GraphSpec does not hold them). */
  readonly plugins?: readonly string[];
  /**
   * Values that used `${…}` in the source file, as written (`LoadedPipeline.templates`): written
   * back unresolved, so the output carries the same variables and defaults, not their values.
   */
  readonly templates?: ReadonlyMap<string, string>;
}

/**
 * Writes a graph (from `GraphBuilder.toSpec()` or a loaded file) as a pipeline file that loads back
 * to an equal spec. Values given as `templates` are written as the source wrote them; other secret
 * config values as `${NODE_KEY}` references, never in clear, with or without a registry (see
 * `referenceSecrets`); a literal `${` in a string is escaped as `$${`.
 */
export function graphSpecToYaml(spec: GraphSpec, registry?: Registry, options: ToYamlOptions = {}): string {
  const file: Record<string, unknown> = { version: 1 };
  if (spec.name !== undefined) file.name = spec.name;
  if (options.plugins?.length) file.plugins = [...options.plugins];
  if (spec.autoConvert !== undefined) file.autoConvert = spec.autoConvert;
  file.nodes = Object.fromEntries(
    spec.nodes.map((node) => [node.id, nodeToYaml(node, registry, options.templates ?? new Map())]),
  );
  file.links = chains(spec.links);
  const header = options.schemaUrl ? `# yaml-language-server: $schema=${options.schemaUrl}\n` : '';
  return header + stringify(file, { lineWidth: 0 });
}

function nodeToYaml(
  node: NodeDecl,
  registry: Registry | undefined,
  templates: ReadonlyMap<string, string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { type: node.type };
  if (node.config !== undefined) {
    // Secret keys are declared as paths, patterns included (`providers.*.config.apiKey`).
    const declared = new Set(
      (registry?.get(node.type)?.secrets ?? []).flatMap((pattern) =>
        expandPath(node.config, pattern).map((path) => path.join('.')),
      ),
    );
    const at = (path: readonly (string | number)[]) =>
      templates.get(JSON.stringify(['nodes', node.id, 'config', ...path]));
    const written = writeValue(node.config, [], at);
    out.config = referenceSecrets(node.id, written, declared, (path) => at(path) !== undefined);
  }
  if (node.onError) {
    const { policy, ...rest } = node.onError;
    out.onError = Object.keys(rest).length === 0 ? policy : node.onError;
  }
  return out;
}

/** A config value as YAML text should hold it: its template where it had one, else with `${` escaped. */
function writeValue(
  value: unknown,
  path: readonly (string | number)[],
  templateAt: (path: readonly (string | number)[]) => string | undefined,
): unknown {
  const template = templateAt(path);
  if (template !== undefined) return template;
  if (typeof value === 'string') return value.replaceAll('${', () => '$${');
  if (Array.isArray(value)) return value.map((v, i) => writeValue(v, [...path, i], templateAt));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, writeValue(v, [...path, k], templateAt)]));
  }
  return value;
}

const sameEndpoint = (a: Endpoint, b: Endpoint) => a.node === b.node && a.port === b.port;
const plain = (link: LinkDecl) => link.queue === undefined && link.feedback === undefined;

/** Consecutive plain hops that continue each other become one chain, as a person would write them. */
function chains(links: readonly LinkDecl[]): unknown[] {
  const out: unknown[] = [];
  let current: Endpoint[] | undefined;
  for (const link of links) {
    if (!plain(link)) {
      current = undefined;
      out.push({
        chain: `${endpointToString(link.from)} -> ${endpointToString(link.to)}`,
        ...(link.queue ? { queue: link.queue } : {}),
        ...(link.feedback !== undefined ? { feedback: link.feedback } : {}),
      });
      continue;
    }
    if (current && sameEndpoint(current[current.length - 1], link.from)) {
      current.push(link.to);
      out[out.length - 1] = current.map(endpointToString).join(' -> ');
      continue;
    }
    current = [link.from, link.to];
    out.push(current.map(endpointToString).join(' -> '));
  }
  return out;
}
