import { z } from 'zod';
import type { AudioFormat } from './audio-format.js';
import type { AnyNodeSpec } from './node.js';

export interface RegisteredNode {
  readonly spec: AnyNodeSpec;
  /** The npm package that provides it, for error messages and `beluga nodes`. */
  readonly packageName?: string;
}

/** Maps node type names to their specs. An object, never a global: every pipeline gets the one it is given. */
export class Registry {
  private readonly nodes = new Map<string, RegisteredNode>();

  constructor(specs: Iterable<AnyNodeSpec> = [], packageName?: string) {
    this.registerAll(specs, packageName);
  }

  register(spec: AnyNodeSpec, packageName?: string): this {
    const existing = this.nodes.get(spec.type);
    if (existing && existing.spec !== spec) {
      throw new Error(
        `node type "${spec.type}" is registered twice (${existing.packageName ?? 'code'} and ${packageName ?? 'code'})`,
      );
    }
    this.nodes.set(spec.type, { spec, packageName });
    return this;
  }

  registerAll(specs: Iterable<AnyNodeSpec>, packageName?: string): this {
    for (const spec of specs) this.register(spec, packageName);
    return this;
  }

  get(type: string): AnyNodeSpec | undefined {
    return this.nodes.get(type)?.spec;
  }

  entry(type: string): RegisteredNode | undefined {
    return this.nodes.get(type);
  }

  has(type: string): boolean {
    return this.nodes.has(type);
  }

  types(): string[] {
    return [...this.nodes.keys()].sort();
  }

  entries(): RegisteredNode[] {
    return this.types().map((t) => this.nodes.get(t) as RegisteredNode);
  }

  /** JSON Schema of a node type's config (input side: what users write). */
  configSchema(type: string): Record<string, unknown> {
    const spec = this.get(type);
    if (!spec) throw new Error(`unknown node type "${type}"`);
    return configJsonSchema(spec);
  }

  /** The registered converters that can turn `from` into `to`, with the config to use. */
  convertersFor(from: AudioFormat, to: AudioFormat): Array<{ type: string; config: unknown }> {
    const out: Array<{ type: string; config: unknown }> = [];
    for (const { spec } of this.entries()) {
      const config = spec.converter?.configFor(from, to);
      if (config !== undefined) out.push({ type: spec.type, config });
    }
    return out;
  }
}

export function configJsonSchema(spec: AnyNodeSpec): Record<string, unknown> {
  return z.toJSONSchema(spec.config, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
