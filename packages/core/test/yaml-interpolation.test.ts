import { describe, expect, test } from 'vitest';
import { Registry } from '../src/registry.js';
import { redact } from '../src/secrets.js';
import { formatFileIssue, interpolate, loadPipeline } from '../src/yaml/index.js';
import { nodes } from './fixtures/pipelines/plugins/test-nodes.mjs';

const registry = new Registry(nodes, 'test-nodes');

describe('interpolate', () => {
  test('replaces variables, applies defaults when unset or empty, and keeps $${ literal', () => {
    const env = { HOST: 'example.org', EMPTY: '' };
    expect(interpolate('wss://${HOST}/v1', env)).toEqual({ value: 'wss://example.org/v1', problems: [], whole: false });
    expect(interpolate('${PORT:-8080}', env).value).toBe('8080');
    expect(interpolate('${EMPTY:-fallback}', env).value).toBe('fallback');
    expect(interpolate('${EMPTY}', env).value).toBe('');
    expect(interpolate('cost: $${PRICE}', env).value).toBe('cost: ${PRICE}');
  });

  test('reports every missing and malformed variable with its index', () => {
    const result = interpolate('${A}/${B:-b}/${C}/${1X}/${D', {});
    expect(result.problems).toEqual([
      { kind: 'missing', text: 'A', index: 0 },
      { kind: 'missing', text: 'C', index: 13 },
      { kind: 'invalid', text: '${1X}', index: 18 },
      { kind: 'invalid', text: '${D', index: 24 },
    ]);
  });

  test('marks a string that is exactly one variable as whole', () => {
    expect(interpolate('${N}', { N: '3' }).whole).toBe(true);
    expect(interpolate('${N}s', { N: '3' }).whole).toBe(false);
  });
});

const pipeline = (micConfig: string, agentConfig = '{}') => `version: 1
autoConvert: \${AUTO:-false}
nodes:
  mic: { type: test.mic, config: ${micConfig} }
  up: { type: test.resample, config: { sampleRate: 24000 } }
  agent: { type: test.agent, config: ${agentConfig} }
  out: { type: test.speaker, config: { path: ./out.wav } }
links:
  - mic -> up -> agent -> out
`;

describe('interpolation in a pipeline file', () => {
  test('a whole-variable value becomes a number or boolean where the schema wants one', () => {
    const loaded = loadPipeline(pipeline('{ path: "${DIR}/in.wav", frames: "${FRAMES}" }'), {
      registry,
      env: { DIR: '/data', FRAMES: '12', AUTO: 'true' },
    });
    expect(loaded.issues).toEqual([]);
    expect(loaded.spec.nodes[0].config).toEqual({ path: '/data/in.wav', frames: 12 });
    expect(loaded.spec.autoConvert).toBe(true);
  });

  test('and stays a string where the schema wants a string', () => {
    const loaded = loadPipeline(pipeline('{ path: "${FILE}" }', '{ voice: "${VOICE}" }'), {
      registry,
      env: { FILE: '2024', VOICE: '123' },
    });
    expect(loaded.issues).toEqual([]);
    expect(loaded.spec.nodes[0].config).toEqual({ path: '2024' });
    expect(loaded.spec.nodes[2].config).toEqual({ voice: '123' });
  });

  test('a value with a missing variable is reported once, not again as invalid config', () => {
    const loaded = loadPipeline(pipeline('{ path: ./in.wav, frames: "${FRAMES}" }'), {
      registry,
      file: 'p.yaml',
      env: {},
    });
    expect(loaded.issues.map(formatFileIssue)).toEqual([
      'p.yaml:4:61  environment variable FRAMES is not set (set FRAMES or write ${FRAMES:-default})  [missing-variable]',
    ]);
  });

  test('an unquoted ${VAR} inside { } is a YAML error whose fix says to quote it', () => {
    const loaded = loadPipeline(pipeline('{ path: ./in.wav, frames: ${FRAMES} }'), {
      registry,
      file: 'p.yaml',
      env: {},
    });
    expect(loaded.issues.map(formatFileIssue)).toEqual([
      'p.yaml:4:61  Unexpected flow-map-start at node end (quote values that use ${…} inside { } or [ ]: "${NAME}")  [yaml-syntax]',
    ]);
  });

  test('map keys are not interpolated', () => {
    const loaded = loadPipeline(pipeline('{ path: ./in.wav, "${KEY}": 1 }'), {
      registry,
      file: 'p.yaml',
      env: { KEY: 'frames' },
    });
    expect(loaded.issues.map(formatFileIssue)).toEqual([
      'p.yaml:4:52  node "mic" (test.mic): unknown config key "${KEY}" (allowed keys: path, pace, sampleRate, frames, failAfter)  [invalid-config]',
    ]);
  });
});

describe('secrets', () => {
  // Not shaped like an OpenAI key, so only its registration as a secret can mask it.
  const key = 'tk-live-0123456789abcdef';

  test('a secret config value is registered so that no message can print it', () => {
    const loaded = loadPipeline(pipeline('{ path: ./in.wav }', '{ apiKey: "${TEST_KEY}", voice: 7 }'), {
      registry,
      file: 'p.yaml',
      env: { TEST_KEY: key },
    });
    expect(loaded.issues.map(formatFileIssue)).toEqual([
      'p.yaml:6:70  node "agent" (test.agent): config.voice: Invalid input: expected string, received number  [invalid-config]',
    ]);
    const leaked = { ...loaded.issues[0], message: `config was ${key}` };
    expect(formatFileIssue(leaked)).not.toContain(key);
  });

  test('a secret written literally in the file is registered too', () => {
    const literal = 'literal-key-9876543210';
    loadPipeline(pipeline('{ path: ./in.wav }', `{ apiKey: ${literal} }`), { registry, env: {} });
    expect(redact(`key=${literal}`)).toBe('key=[redacted]');
  });
});
