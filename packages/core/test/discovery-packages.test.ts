import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { discoverNodes, findNodePackages } from '../src/discovery/index.js';
import { formatFileIssue, loadPipelineFile } from '../src/yaml/index.js';

const zodUrl = pathToFileURL(createRequire(import.meta.url).resolve('zod')).href;
let root: string;

/** A module exporting `nodes`: one text source and one text sink per prefix. */
function nodesModule(prefix: string): string {
  return `import { z } from '${zodUrl}';
const config = z.object({ label: z.string().default('x').describe('A label') }).strict();
export const nodes = [
  { type: '${prefix}.source', summary: 'emits text', config, inputs: {}, outputs: { text: { kinds: ['text'] } }, create: () => () => ({}) },
  { type: '${prefix}.sink', summary: 'takes text', config, inputs: { text: { kinds: ['text'], required: true } }, outputs: {}, create: () => () => ({}) },
];
`;
}

function write(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

function pkg(path: string, json: Record<string, unknown>, module?: [string, string]): void {
  write(join(path, 'package.json'), JSON.stringify(json));
  if (module) write(join(path, module[0]), module[1]);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'beluga-discovery-'));
  // Outer node_modules, reached by walking up from the project.
  pkg(
    'node_modules/@beluga-voice/nodes-fake',
    { name: '@beluga-voice/nodes-fake', version: '1.0.0', beluga: { nodes: './nodes.mjs' } },
    ['nodes.mjs', nodesModule('old')],
  );
  pkg(
    'node_modules/acme-voice-nodes',
    { name: 'acme-voice-nodes', version: '0.3.0', beluga: { nodes: './lib/nodes.mjs' } },
    ['lib/nodes.mjs', nodesModule('acme')],
  );
  pkg('node_modules/left-pad', { name: 'left-pad', version: '1.0.0' });
  pkg('node_modules/@beluga-voice/nodes-broken', {
    name: '@beluga-voice/nodes-broken',
    beluga: { nodes: './dist/nodes.js' },
  });
  // The nearer copy of the same package wins, as in Node's resolution.
  pkg(
    'project/node_modules/@beluga-voice/nodes-fake',
    { name: '@beluga-voice/nodes-fake', version: '2.0.0', beluga: { nodes: './nodes.mjs' } },
    ['nodes.mjs', nodesModule('fake')],
  );
  write('project/pipelines/local-nodes.mjs', nodesModule('local'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('node package discovery', () => {
  test('finds every package declaring beluga.nodes up the node_modules chain, nearest first', () => {
    const found = findNodePackages([join(root, 'project/pipelines')]).map((p) => `${p.name}@${p.version ?? '-'}`);
    expect(found).toEqual(['@beluga-voice/nodes-fake@2.0.0', '@beluga-voice/nodes-broken@-', 'acme-voice-nodes@0.3.0']);
  });

  test('builds a registry with package names, plus explicit plugins, and reports what could not load', async () => {
    const baseDir = join(root, 'project/pipelines');
    const discovery = await discoverNodes({
      baseDir,
      searchFrom: [baseDir],
      plugins: ['./local-nodes.mjs', 'not-installed-nodes', './missing.mjs'],
      includeCore: false,
    });
    expect(discovery.registry.entries().map((e) => `${e.spec.type} ${e.packageName}`)).toEqual([
      'acme.sink acme-voice-nodes',
      'acme.source acme-voice-nodes',
      'fake.sink @beluga-voice/nodes-fake',
      'fake.source @beluga-voice/nodes-fake',
      'local.sink ./local-nodes.mjs',
      'local.source ./local-nodes.mjs',
    ]);
    expect(discovery.packages.map((p) => `${p.name} ${p.via}`)).toEqual([
      './local-nodes.mjs plugin',
      '@beluga-voice/nodes-fake node_modules',
      'acme-voice-nodes node_modules',
    ]);
    expect(discovery.problems).toEqual([
      { message: 'plugin package "not-installed-nodes" is not installed (npm i not-installed-nodes)', plugin: 1 },
      { message: `plugin "./missing.mjs" not found (looked for ${join(baseDir, 'missing.mjs')})`, plugin: 2 },
      {
        message: `@beluga-voice/nodes-broken: node module ${join(root, 'node_modules/@beluga-voice/nodes-broken/dist/nodes.js')} does not exist (is the package built?)`,
      },
    ]);
  });

  test('a pipeline file is checked against what is installed around it', async () => {
    write(
      'project/pipelines/p.yaml',
      `version: 1
plugins:
  - ./local-nodes.mjs
  - ./missing.mjs
nodes:
  a: { type: fake.source }
  b: { type: local.sink }
  c: { type: fake.snk }
  d: { type: audio.resample }
links:
  - a -> b
`,
    );
    const loaded = await loadPipelineFile(join(root, 'project/pipelines/p.yaml'));
    const file = join(root, 'project/pipelines/p.yaml');
    expect(loaded.issues.map(formatFileIssue)).toEqual([
      `${file}:4:5  plugin "./missing.mjs" not found (looked for ${join(root, 'project/pipelines/missing.mjs')})  [plugin]`,
      `${file}:8:14  unknown node type "fake.snk" for node "c" (did you mean "fake.sink"?)  [unknown-node-type]`,
      `${file}:9:14  unknown node type "audio.resample" for node "d" (install @beluga-voice/nodes-audio)  [unknown-node-type]`,
    ]);
    expect(loaded.registry.entry('fake.source')?.packageName).toBe('@beluga-voice/nodes-fake');
    expect(loaded.warnings.some((w) => w.startsWith('@beluga-voice/nodes-broken: node module'))).toBe(true);
  });
});
