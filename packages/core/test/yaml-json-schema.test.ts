import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { Registry } from '../src/registry.js';
import { pipelineJsonSchema } from '../src/yaml/index.js';
import { nodes } from './fixtures/pipelines/plugins/test-nodes.mjs';

const registry = new Registry(nodes, 'test-nodes');
const schema = pipelineJsonSchema(registry);
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

const fixture = (name: string) => parse(readFileSync(new URL(`./fixtures/pipelines/${name}`, import.meta.url), 'utf8'));

/** `instancePath message` for each error, the way an editor would underline them. */
function errors(document: unknown): string[] {
  validate(document);
  return (validate.errors ?? [])
    .filter((e) => e.keyword !== 'if' && e.keyword !== 'anyOf')
    .map(
      (e) =>
        `${e.instancePath} ${e.message}${e.params && 'additionalProperty' in e.params ? ` ${e.params.additionalProperty}` : ''}`,
    );
}

describe('pipeline JSON Schema', () => {
  test('is draft-07 and lists every installed node type with its summary', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    const type = (schema.definitions as any).node.properties.type;
    expect(type.enum).toEqual([
      'test.agent',
      'test.hold',
      'test.mic',
      'test.resample',
      'test.router',
      'test.speaker',
      'test.vad',
    ]);
    expect(type.enumDescriptions[6]).toBe('Passes audio through and marks speech start and stop');
  });

  test('accepts a valid pipeline file, ${VAR} references included', () => {
    expect(errors(fixture('valid.yaml'))).toEqual([]);
  });

  test('checks each node config against its own type, as an editor would', () => {
    expect(errors(fixture('unknown-keys.yaml'))).toEqual([
      ' must NOT have additional properties lnks',
      '/nodes/mic/config must NOT have additional properties sampleRte',
      '/nodes/vad must NOT have additional properties confg',
      '/nodes/out/config must NOT have additional properties treshold',
    ]);
    expect(errors(fixture('wrong-types.yaml'))).toEqual([
      '/nodes/mic/config/pace must be equal to one of the allowed values',
      '/nodes/mic/config/pace must match pattern "^\\$\\{(call\\.)?[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}$"',
      '/nodes/mic/config/frames must be > 0',
      '/nodes/mic/config/frames must be string',
      '/nodes/vad/config/threshold must be number',
      '/nodes/vad/config/threshold must match pattern "^\\$\\{(call\\.)?[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}$"',
      '/nodes/out/config/path must be string',
    ]);
  });

  test('rejects unknown node types and malformed links', () => {
    expect(errors(fixture('unknown-node-type.yaml'))).toEqual([
      '/nodes/vad/type must be equal to one of the allowed values',
      '/nodes/energy/type must be equal to one of the allowed values',
    ]);
    expect(
      errors({ version: 1, nodes: {}, links: ['mic ->', { chain: 'a -> b', queue: { overflow: 'spill' } }] }),
    ).toEqual([
      '/links/0 must match pattern "^\\s*[^\\s.>-][^\\s.]*(\\.[^\\s.]+)?(\\s*->\\s*[^\\s.>-][^\\s.]*(\\.[^\\s.]+)?)+\\s*$"',
      '/links/0 must be object',
      '/links/1 must be string',
      '/links/1/queue/overflow must be equal to one of the allowed values',
      '/links/1/queue/overflow must match pattern "^\\$\\{(call\\.)?[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}$"',
    ]);
  });

  test('carries descriptions and defaults for completion', () => {
    const mic = (schema.definitions as any).node.allOf.find((s: any) => s.if.properties.type.const === 'test.mic');
    expect(mic.then.properties.config.properties.pace).toMatchObject({ description: 'Emission pace', default: 'fast' });
    expect(mic.then.properties.config.required).toEqual(['path']);
  });
});
