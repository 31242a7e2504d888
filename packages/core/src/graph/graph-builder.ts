import type { AnyNodeSpec } from '../node.js';
import type { Registry } from '../registry.js';
import { parseEndpoint } from './endpoint.js';
import { Graph } from './graph.js';
import type { GraphSpec, LinkDecl, NodeDecl, NodeErrorSettings, QueueSettings } from './model.js';
import { buildGraph, type ValidateOptions, validateGraph } from './validate.js';

export interface LinkOptions {
  readonly queue?: QueueSettings;
}

/**
 * Builds a graph in code. Endpoints are `node` (default port) or `node.port`:
 * `new GraphBuilder(registry).node('mic', 'audio.file-source', {...}).chain('mic', 'vad', 'out').build()`.
 */
export class GraphBuilder {
  private readonly nodes: NodeDecl[] = [];
  private readonly links: LinkDecl[] = [];
  private autoConvert = false;

  constructor(
    private readonly registry: Registry,
    private readonly name?: string,
  ) {}

  /** Registers a node type defined in code and returns the builder. */
  use(...specs: AnyNodeSpec[]): this {
    for (const spec of specs) if (this.registry.get(spec.type) !== spec) this.registry.register(spec);
    return this;
  }

  node(id: string, type: string | AnyNodeSpec, config?: unknown, options: { onError?: NodeErrorSettings } = {}): this {
    if (typeof type !== 'string') this.use(type);
    const typeName = typeof type === 'string' ? type : type.type;
    this.nodes.push({ id, type: typeName, ...(config === undefined ? {} : { config }), ...options });
    return this;
  }

  link(from: string, to: string, options: LinkOptions = {}): this {
    this.links.push({ from: parseEndpoint(from), to: parseEndpoint(to), ...options });
    return this;
  }

  /** Links each endpoint to the next: `chain('mic', 'vad', 'agent', 'out')`. */
  chain(...endpoints: string[]): this {
    for (let i = 0; i + 1 < endpoints.length; i++) this.link(endpoints[i], endpoints[i + 1]);
    return this;
  }

  /** A deliberate cycle, e.g. tool results back into the provider. */
  feedback(from: string, to: string, options: LinkOptions = {}): this {
    this.links.push({ from: parseEndpoint(from), to: parseEndpoint(to), feedback: true, ...options });
    return this;
  }

  /** Inserts registered converters where audio caps do not match, and says so on the bus. */
  withAutoConvert(enabled = true): this {
    this.autoConvert = enabled;
    return this;
  }

  toSpec(): GraphSpec {
    return {
      ...(this.name ? { name: this.name } : {}),
      nodes: [...this.nodes],
      links: [...this.links],
      ...(this.autoConvert ? { autoConvert: true } : {}),
    };
  }

  validate(options: Omit<ValidateOptions, 'registry'> = {}) {
    return validateGraph(this.toSpec(), { registry: this.registry, ...options });
  }

  /** Validates and returns the graph; throws `GraphValidationError` listing every problem. */
  build(options: Omit<ValidateOptions, 'registry'> = {}): Graph {
    return new Graph(buildGraph(this.toSpec(), { registry: this.registry, ...options }));
  }
}

/** Validates a spec (from code or YAML) into a runnable graph; throws `GraphValidationError`. */
export function createGraph(spec: GraphSpec, options: ValidateOptions): Graph {
  return new Graph(buildGraph(spec, options));
}
