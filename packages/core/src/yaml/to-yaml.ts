import { stringify } from 'yaml';
import { endpointToString } from '../graph/endpoint.js';
import type { Endpoint, GraphSpec, LinkDecl, NodeDecl } from '../graph/model.js';
import type { Registry } from '../registry.js';
import { expandPath, setAt } from './object-path.js';

export interface ToYamlOptions {
  /** Adds a `# yaml-language-server: $schema=…` line so editors check the file. */
  readonly schemaUrl?: string;
  /** The file's `plugins:` (a GraphSpec does not hold them). */
  readonly plugins?: readonly string[];
}

/**
 * Writes a graph (from `GraphBuilder.toSpec()` or a loaded file) as a pipeline file that loads back
 * to an equal spec. Secret config values are written as `${NODE_KEY}` references, never in clear;
 * a literal `${` in a string is escaped as `$${`.
 */
export function graphSpecToYaml(spec: GraphSpec, registry?: Registry, options: ToYamlOptions = {}): string {
  const file: Record<string, unknown> = { version: 1 };
  if (spec.name !== undefined) file.name = spec.name;
  if (options.plugins?.length) file.plugins = [...options.plugins];
  if (spec.autoConvert !== undefined) file.autoConvert = spec.autoConvert;
  file.nodes = Object.fromEntries(spec.nodes.map((node) => [node.id, nodeToYaml(node, registry)]));
  file.links = chains(spec.links);
  const header = options.schemaUrl ? `# yaml-language-server: $schema=${options.schemaUrl}\n` : '';
  return header + stringify(file, { lineWidth: 0 });
}

/** The variable a secret is exported as: `agent` + `apiKey` → `AGENT_API_KEY`. */
export function secretVariableName(nodeId: string, key: string): string {
  const words = (text: string) => text.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_');
  return `${words(nodeId)}_${words(key)}`.toUpperCase().replace(/^(\d)/, '_$1');
}

function nodeToYaml(node: NodeDecl, registry: Registry | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { type: node.type };
  if (node.config !== undefined) {
    const secrets = new Set(registry?.get(node.type)?.secrets ?? []);
    const config = escapeVariables(node.config) as Record<string, unknown>;
    if (config && typeof config === 'object') {
      let masked: unknown = config;
      for (const pattern of secrets) {
        for (const path of expandPath(config, pattern)) {
          masked = setAt(masked, path, `\${${secretVariableName(node.id, path.join('_'))}}`);
        }
      }
      out.config = masked;
    } else {
      out.config = config;
    }
  }
  if (node.onError) {
    const { policy, ...rest } = node.onError;
    out.onError = Object.keys(rest).length === 0 ? policy : node.onError;
  }
  return out;
}

function escapeVariables(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('${', () => '$${');
  if (Array.isArray(value)) return value.map(escapeVariables);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeVariables(v)]));
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
