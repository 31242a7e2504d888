import type { AnyNodeSpec } from '../node.js';
import type { RegisteredNode } from '../registry.js';
import { nodeConfigSchema } from '../yaml/json-schema.js';

/** One config field of a node type, as `beluga nodes` lists it (read from the JSON Schema). */
export interface ConfigField {
  readonly name: string;
  readonly type: string;
  readonly required: boolean;
  readonly default?: unknown;
  readonly description?: string;
  readonly secret?: boolean;
}

export interface PortInfo {
  readonly name: string;
  readonly kinds: readonly string[];
  readonly required?: boolean;
}

export interface NodeTypeInfo {
  readonly type: string;
  readonly package?: string;
  readonly summary: string;
  readonly inputs: readonly PortInfo[];
  readonly outputs: readonly PortInfo[];
  readonly config: readonly ConfigField[];
}

type Schema = Record<string, unknown>;

/** A short type name for a JSON Schema: `string`, `"a" | "b"`, `number[]`, `object`… */
export function schemaTypeName(schema: Schema): string {
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  if ('const' in schema) return JSON.stringify(schema.const);
  const union = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (union) return [...new Set(union.map(schemaTypeName))].join(' | ');
  if (schema.type === 'array') {
    const item = schemaTypeName((schema.items as Schema | undefined) ?? {});
    return item.includes(' | ') ? `(${item})[]` : `${item}[]`;
  }
  if (Array.isArray(schema.type)) return schema.type.join(' | ');
  return typeof schema.type === 'string' ? schema.type : 'any';
}

function ports(specPorts: AnyNodeSpec['inputs'] | AnyNodeSpec['outputs']): PortInfo[] {
  return Object.entries(specPorts).map(([name, port]) => ({
    name,
    kinds: port.kinds,
    ...('required' in port && port.required ? { required: true } : {}),
  }));
}

export function describeNode(entry: RegisteredNode): NodeTypeInfo {
  const { spec } = entry;
  const schema = nodeConfigSchema(spec.config);
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const secrets = new Set(spec.secrets ?? []);
  return {
    type: spec.type,
    ...(entry.packageName ? { package: entry.packageName } : {}),
    summary: spec.summary,
    inputs: ports(spec.inputs),
    outputs: ports(spec.outputs),
    config: Object.entries(properties).map(([name, field]) => ({
      name,
      type: schemaTypeName(field),
      required: required.has(name),
      ...('default' in field ? { default: field.default } : {}),
      ...(typeof field.description === 'string' ? { description: field.description } : {}),
      ...(secrets.has(name) ? { secret: true } : {}),
    })),
  };
}

const MAX_DEFAULT = 24;

/** Long object defaults are cut in the table; `--json` has them whole. */
function defaultText(value: unknown): string {
  const text = JSON.stringify(value);
  return typeof value === 'object' && text.length > MAX_DEFAULT ? `${text.slice(0, MAX_DEFAULT - 1)}…` : text;
}

/** Plain-text listing: one block per type with its ports and config fields in aligned columns. */
export function formatNodeList(infos: readonly NodeTypeInfo[]): string {
  const blocks = infos.map((info) => {
    const portList = (list: readonly PortInfo[]) => (list.length ? list.map((p) => p.name).join(', ') : '-');
    const lines = [
      `${info.type}${info.package ? `  (${info.package})` : ''}`,
      `  ${info.summary}`,
      `  inputs: ${portList(info.inputs)}   outputs: ${portList(info.outputs)}`,
    ];
    const rows = info.config.map((f) => [
      f.name,
      f.type,
      f.required ? 'required' : 'default' in f ? `= ${defaultText(f.default)}` : 'optional',
      `${f.description ?? ''}${f.secret ? ' (secret)' : ''}`,
    ]);
    const widths = [0, 1, 2].map((i) => Math.max(0, ...rows.map((r) => r[i].length)));
    for (const row of rows) {
      lines.push(`    ${row.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]) : cell)).join('  ')}`.trimEnd());
    }
    return lines.join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}
