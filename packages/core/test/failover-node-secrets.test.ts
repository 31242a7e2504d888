import { expect, test } from 'vitest';
import { nodes } from '../src/nodes.js';
import { Registry } from '../src/registry.js';
import { redact } from '../src/secrets.js';
import { graphSpecToYaml, loadPipeline } from '../src/yaml/index.js';

const PIPELINE = `version: 1
nodes:
  agent:
    type: provider.failover
    config:
      providers:
        - type: provider.openai-realtime
          config: { apiKey: sk-written-in-the-file-0123 }
        - type: provider.gemini-live
          config: { apiKey: "\${GEMINI_API_KEY}" }
`;

test("provider.failover: the providers' keys are secrets, registered on load and written back as variables", () => {
  const registry = new Registry([...nodes]);
  const loaded = loadPipeline(PIPELINE, { registry, env: { GEMINI_API_KEY: 'gemini-key-from-env-0123' } });
  // Only the graph is incomplete (no audio source): the config itself is valid.
  expect(loaded.issues.map((i) => i.code)).toEqual(['unlinked-input']);
  expect(redact('openai sk-written-in-the-file-0123, gemini gemini-key-from-env-0123')).toBe(
    'openai [redacted], gemini [redacted]',
  );
  const yaml = graphSpecToYaml(loaded.spec, registry);
  expect(yaml).not.toContain('written-in-the-file');
  expect(yaml).not.toContain('from-env');
  expect(yaml).toContain('apiKey: ${AGENT_PROVIDERS_0_CONFIG_API_KEY}');
  expect(yaml).toContain('apiKey: ${AGENT_PROVIDERS_1_CONFIG_API_KEY}');
});
