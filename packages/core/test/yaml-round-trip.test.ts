import { expect, test } from 'vitest';
import { GraphBuilder } from '../src/graph/graph-builder.js';
import type { GraphSpec } from '../src/graph/model.js';
import { Registry } from '../src/registry.js';
import { registerSecret } from '../src/secrets.js';
import { graphSpecToYaml, loadPipeline, secretVariableName } from '../src/yaml/index.js';
import { nodes } from './fixtures/pipelines/plugins/test-nodes.mjs';

const registry = new Registry(nodes, 'test-nodes');

/** The spec without source positions, which only a loaded file has. */
function withoutPaths(spec: GraphSpec): GraphSpec {
  return {
    ...spec,
    nodes: spec.nodes.map(({ path: _, ...node }) => node),
    links: spec.links.map(({ path: _, ...link }) => link),
  };
}

function codeSpec(): GraphSpec {
  return new GraphBuilder(registry, 'round-trip')
    .node('mic', 'test.mic', { path: './in ${literal}.wav', pace: 'realtime', frames: 3 })
    .node('vad', 'test.vad', { threshold: 0.25 }, { onError: { policy: 'restart', maxRestarts: 2, backoffMs: 50 } })
    .node('up', 'test.resample', { sampleRate: 24000 })
    .node('agent', 'test.agent', { voice: 'verse', apiKey: 'tk-round-trip-secret-42' }, { onError: { policy: 'fail' } })
    .node('tools', 'test.router', {
      tools: [
        'calculator',
        { module: './tools.mjs', export: 'weather' },
        { mcp: { command: 'node', args: ['srv.mjs'] } },
      ],
    })
    .node('out', 'test.speaker', { path: './out.wav' })
    .link('mic', 'vad', { queue: { max: '400ms', overflow: 'drop-oldest' } })
    .chain('vad', 'up', 'agent', 'out')
    .link('agent.toolCalls', 'tools.calls')
    .feedback('tools.results', 'agent.toolResults', { queue: { max: 40, overflow: 'block' } })
    .withAutoConvert()
    .toSpec();
}

test('a graph built in code, written as YAML, loads back to the same spec', () => {
  const spec = codeSpec();
  const yaml = graphSpecToYaml(spec, registry);
  const loaded = loadPipeline(yaml, { registry, env: { AGENT_API_KEY: 'tk-round-trip-secret-42' } });
  expect(loaded.issues).toEqual([]);
  expect(withoutPaths(loaded.spec)).toEqual(spec);
  expect(loaded.graph).toBeDefined();
});

test('the YAML reads as a person would write it: chains, shorthand policies, secrets as variables', () => {
  const yaml = graphSpecToYaml(codeSpec(), registry, { schemaUrl: './pipeline.schema.json' });
  expect(yaml).toBe(`# yaml-language-server: $schema=./pipeline.schema.json
version: 1
name: round-trip
autoConvert: true
nodes:
  mic:
    type: test.mic
    config:
      path: ./in $\${literal}.wav
      pace: realtime
      frames: 3
  vad:
    type: test.vad
    config:
      threshold: 0.25
    onError:
      policy: restart
      maxRestarts: 2
      backoffMs: 50
  up:
    type: test.resample
    config:
      sampleRate: 24000
  agent:
    type: test.agent
    config:
      voice: verse
      apiKey: \${AGENT_API_KEY}
    onError: fail
  tools:
    type: test.router
    config:
      tools:
        - calculator
        - module: ./tools.mjs
          export: weather
        - mcp:
            command: node
            args:
              - srv.mjs
  out:
    type: test.speaker
    config:
      path: ./out.wav
links:
  - chain: mic -> vad
    queue:
      max: 400ms
      overflow: drop-oldest
  - vad -> up -> agent -> out
  - agent.toolCalls -> tools.calls
  - chain: tools.results -> agent.toolResults
    queue:
      max: 40
      overflow: block
    feedback: true
`);
  expect(yaml).not.toContain('tk-round-trip-secret-42');
});

test('a loaded file written back out loads to the same spec again', () => {
  const text = `version: 1
nodes:
  mic: { type: test.mic, config: { path: "\${DIR:-.}/in.wav" } }
  up: { type: test.resample, config: { sampleRate: 24000 } }
  agent: { type: test.agent }
  out: { type: test.speaker, config: { path: ./out.wav } }
links:
  - mic -> up.audio -> agent -> out
`;
  const first = loadPipeline(text, { registry, env: {} });
  const second = loadPipeline(graphSpecToYaml(first.spec, registry), { registry, env: {} });
  expect(second.issues).toEqual([]);
  expect(withoutPaths(second.spec)).toEqual(withoutPaths(first.spec));
  expect(first.spec.links.map((l) => [l.from, l.to])).toEqual([
    [{ node: 'mic' }, { node: 'up', port: 'audio' }],
    [{ node: 'up', port: 'audio' }, { node: 'agent' }],
    [{ node: 'agent' }, { node: 'out' }],
  ]);
});

test('secret variable names follow the node id and key', () => {
  expect(secretVariableName('agent', 'apiKey')).toBe('AGENT_API_KEY');
  expect(secretVariableName('my-agent', 'apiKey')).toBe('MY_AGENT_API_KEY');
  expect(secretVariableName('2nd', 'token')).toBe('_2ND_TOKEN');
});

test('values written with ${…} are written back as written, with the loaded templates; their values never', () => {
  const text = [
    'version: 1',
    'nodes:',
    '  mic: { type: test.mic, config: { path: "${DIR:-.}/in.wav", frames: "${FRAMES:-4}" } }',
    '  agent: { type: test.agent, config: { apiKey: "${MY_KEY}", voice: "${VOICE:-alloy}" } }',
    '  up: { type: test.resample, config: { sampleRate: 24000 } }',
    '  out: { type: test.speaker, config: { path: ./out.wav } }',
    'links:',
    '  - mic -> up -> agent -> out',
    '',
  ].join('\n');
  const env = { DIR: '/secret/dir', FRAMES: '7', MY_KEY: 'tk-template-secret-9', VOICE: 'verse' };
  const loaded = loadPipeline(text, { registry, env });
  expect(loaded.issues).toEqual([]);
  const yaml = graphSpecToYaml(loaded.spec, registry, { templates: loaded.templates });
  expect(yaml).toContain('path: ${DIR:-.}/in.wav\n');
  expect(yaml).toContain('frames: ${FRAMES:-4}\n');
  expect(yaml).toContain('apiKey: ${MY_KEY}\n');
  expect(yaml).toContain('voice: ${VOICE:-alloy}\n');
  for (const value of Object.values(env)) expect(yaml).not.toContain(value);
  expect(withoutPaths(loadPipeline(yaml, { registry, env }).spec)).toEqual(withoutPaths(loaded.spec));
});

test('without a registry, keys are still written as variables: by name, by registered value, by key pattern, at any depth', () => {
  registerSecret('opaque-registered-credential-77');
  const spec = new GraphBuilder(registry, 'no-registry')
    .node('agent', 'test.agent', {
      voice: 'verse',
      apiKey: 'tk-round-trip-secret-42',
      maxOutputTokens: 'inf',
      baseUrl: 'wss://gateway.example/v1?auth=opaque-registered-credential-77',
      instructions: 'say sk-proj-abcdefghijklmnop aloud',
    })
    .node('tools', 'test.router', {
      tools: [
        { mcp: { command: 'node', args: ['srv.mjs'], env: { GITHUB_TOKEN: 'ghp-nested-secret-99', MODE: 'x' } } },
      ],
    })
    .link('agent.toolCalls', 'tools.calls')
    .toSpec();
  const yaml = graphSpecToYaml(spec);
  expect(yaml).toBe(`version: 1
name: no-registry
nodes:
  agent:
    type: test.agent
    config:
      voice: verse
      apiKey: \${AGENT_API_KEY}
      maxOutputTokens: inf
      baseUrl: \${AGENT_BASE_URL}
      instructions: \${AGENT_INSTRUCTIONS}
  tools:
    type: test.router
    config:
      tools:
        - mcp:
            command: node
            args:
              - srv.mjs
            env:
              GITHUB_TOKEN: \${TOOLS_TOOLS_0_MCP_ENV_GITHUB_TOKEN}
              MODE: x
links:
  - agent.toolCalls -> tools.calls
`);
});
