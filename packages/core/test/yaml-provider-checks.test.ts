import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { nodes } from '../src/nodes.js';
import { Registry } from '../src/registry.js';
import { formatFileIssue, loadPipelineFile } from '../src/yaml/index.js';
import { mic } from './fixtures/pipelines/plugins/test-nodes.mjs';

const dir = mkdtempSync(join(tmpdir(), 'beluga-provider-checks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const registry = new Registry([mic, ...nodes]);

/** A test source and a failover, its providers listed by what follows (lines 1-7). */
const FAILOVER_HEAD = `version: 1
nodes:
  mic: { type: test.mic, config: { path: ./in.wav, sampleRate: 24000 } }
  backup:
    type: provider.failover
    config:
      providers:
`;

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

test("validate checks failover's inner providers (type, config, what they read) and a script's files, each at its key", async () => {
  const file = write(
    'providers.yaml',
    `${FAILOVER_HEAD}        - { type: provider.ecoh }
        - { type: provider.scripted, config: { scriptFile: ./missing.yaml } }
        - { type: provider.echo, config: { latencyMs: -5 } }
  scripted:
    type: provider.scripted
    config: { script: [ { reply: [ { audio: ./nope.wav } ] } ] }
links:
  - mic -> backup
  - mic -> scripted
`,
  );
  const loaded = await loadPipelineFile(file, { registry, env: {}, checkResources: true });
  expect(loaded.graph).toBeUndefined();
  expect(loaded.issues.map(formatFileIssue)).toEqual([
    `${file}:8:19  node "backup" (provider.failover): providers[0].type "provider.ecoh" is not installed (did you mean "provider.echo"?)  [unusable-input]`,
    `${file}:9:60  node "backup" (provider.failover): cannot read script ${join(dir, 'missing.yaml')}: no such file  [unusable-input]`,
    `${file}:10:55  node "backup" (provider.failover): providers[2] (provider.echo) config: latencyMs: Too small: expected number to be >=0  [unusable-input]`,
    `${file}:13:23  node "scripted" (provider.scripted): turns[0].reply[0].audio: cannot read ${join(dir, 'nope.wav')}: no such file  [unusable-input]`,
  ]);
});

test('a failover whose providers are all installed, valid and readable passes validate', async () => {
  const file = write(
    'good.yaml',
    `${FAILOVER_HEAD}        - { type: provider.scripted, config: { script: [ { reply: [ { say: hi } ] } ] } }
        - { type: provider.echo }
links:
  - mic -> backup
`,
  );
  const loaded = await loadPipelineFile(file, { registry, env: {}, checkResources: true });
  expect(loaded.issues).toEqual([]);
  expect(loaded.graph?.nodes.size).toBe(2);
});
