import { readFileSync } from 'node:fs';
import { test } from 'vitest';
import { Registry } from '../src/registry.js';
import { formatFileIssues, loadPipeline } from '../src/yaml/index.js';
import { nodes } from './fixtures/pipelines/plugins/test-nodes.mjs';

test('scratch', () => {
  const registry = new Registry(nodes, 'test-nodes');
  const text = readFileSync(new URL('./fixtures/pipelines/valid.yaml', import.meta.url), 'utf8');
  const r = loadPipeline(text, { file: 'valid.yaml', registry, env: {} });
  console.log(formatFileIssues(r.issues), JSON.stringify(r.spec, null, 1).slice(0, 3000), !!r.graph);
});
