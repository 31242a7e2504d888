import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { defineNode } from '../src/node.js';
import { Registry } from '../src/registry.js';
import { formatFileIssue, loadPipelineFile } from '../src/yaml/index.js';
import { agent, mic, resample, speaker } from './fixtures/pipelines/plugins/test-nodes.mjs';

const dir = mkdtempSync(join(tmpdir(), 'beluga-checks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const checked = (type: string, check: NonNullable<(typeof speaker)['check']>) =>
  defineNode({ ...speaker, type, check });
const checkedResample = defineNode({
  ...resample,
  check: () => [{ path: ['sampleRate'], message: 'no device runs at this rate' }],
});
const registry = new Registry([
  mic,
  agent,
  checkedResample,
  checked('test.strict-speaker', (config) => [
    {
      path: ['path'],
      message: `cannot write ${(config as { path: string }).path}: read-only disk`,
      fix: 'pick another folder',
    },
  ]),
  checked('test.broken-check', () => {
    throw new Error('probe crashed');
  }),
]);

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const text = `version: 1
autoConvert: true
nodes:
  mic: { type: test.mic, config: { path: ./in.wav, sampleRate: 8000 } }
  up: { type: test.resample, config: { sampleRate: 16000 } }
  a: { type: test.strict-speaker, config: { path: ./a.wav } }
  b: { type: test.broken-check, config: { path: ./b.wav } }
  agent: { type: test.agent }
links:
  - mic -> a
  - mic -> up -> b
  - mic -> agent
`;

test('checkResources places each problem at its config key, a crashing check at its node, and skips inserted converters', async () => {
  const file = write('p.yaml', text);
  const loaded = await loadPipelineFile(file, { registry, env: {}, checkResources: true });
  expect(loaded.graph).toBeUndefined();
  // autoConvert inserted a second test.resample before the agent: it has no place in the file to report at.
  expect(loaded.issues.map(formatFileIssue)).toEqual([
    `${file}:5:52  node "up" (test.resample): no device runs at this rate  [unusable-input]`,
    `${file}:6:51  node "a" (test.strict-speaker): cannot write ./a.wav: read-only disk (pick another folder)  [unusable-input]`,
    `${file}:7:3  node "b" (test.broken-check): its check failed: probe crashed  [unusable-input]`,
  ]);
});

test('without checkResources, nothing outside the file is looked at', async () => {
  const loaded = await loadPipelineFile(write('q.yaml', text), { registry, env: {} });
  expect(loaded.issues).toEqual([]);
  expect(loaded.graph?.inserted.map((c) => c.converter)).toEqual(['test.resample']);
});
