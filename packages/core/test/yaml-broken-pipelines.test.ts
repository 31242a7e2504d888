import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { Registry } from '../src/registry.js';
import { formatFileIssue, loadPipeline } from '../src/yaml/index.js';
import { nodes } from './fixtures/pipelines/plugins/test-nodes.mjs';

const registry = new Registry(nodes, 'test-nodes');

function load(name: string, env: Record<string, string> = {}) {
  const text = readFileSync(new URL(`./fixtures/pipelines/${name}`, import.meta.url), 'utf8');
  return loadPipeline(text, { file: name, registry, env });
}

/** Every broken file, with every problem it has: exact position, message, fix and code. */
const EXPECTED: Record<string, string[]> = {
  'bad-links.yaml': [
    'bad-links.yaml:9:18  link vad.evnts -> outt: unknown node "outt" (did you mean "out"?)  [unknown-node]',
    'bad-links.yaml:10:5  link vad.evnts -> out: node "vad" (test.vad) has no output port "evnts" (did you mean "events"?)  [unknown-port]',
    'bad-links.yaml:11:11  link "mic ->" has an empty endpoint  [invalid-link]',
    'bad-links.yaml:12:5  a link is a chain "a -> b.port -> c" or { chain, queue, feedback }  [invalid-link]',
    'bad-links.yaml:14:19  links[5].queue.max must be a frame count (40) or a duration ("400ms", "2s")  [invalid-link]',
    'bad-links.yaml:14:35  links[5].queue.overflow must be one of drop-oldest, drop-newest, block, error  [invalid-link]',
  ],
  'bad-structure.yaml': [
    'bad-structure.yaml:1:10  version must be 1  [invalid-pipeline]',
    'bad-structure.yaml:4:3  missing key "type" in nodes.mic  [invalid-pipeline]',
    'bad-structure.yaml:5:35  nodes.vad.onError must be fail, restart or ignore, or { policy, maxRestarts, backoffMs }  [invalid-pipeline]',
    'bad-structure.yaml:6:68  nodes.out.onError must be fail, restart or ignore, or { policy, maxRestarts, backoffMs }  [invalid-pipeline]',
    'bad-structure.yaml:7:8  links must be a list  [invalid-pipeline]',
    'bad-structure.yaml:8:14  autoConvert must be true or false  [invalid-pipeline]',
  ],
  'caps-mismatch.yaml': [
    'caps-mismatch.yaml:8:5  could not link mic.audio -> agent.audio: 16000 Hz not accepted (24000 Hz) (insert test.resample or set autoConvert: true)  [caps-mismatch]',
  ],
  'duplicate-ids.yaml': [
    'duplicate-ids.yaml:5:57  duplicate key "path"  [duplicate-key]',
    'duplicate-ids.yaml:6:3  node "mic" is declared twice  [duplicate-node]',
    'duplicate-ids.yaml:9:5  link mic.audio -> out.audio is declared twice  [duplicate-link]',
  ],
  'empty.yaml': ['empty.yaml:1:1  the file is empty: a pipeline needs version: 1 and nodes  [invalid-pipeline]'],
  'graph-errors.yaml': [
    'graph-errors.yaml:13:5  cycle agent -> tools -> agent without a declared feedback link (declare the link tools.results -> agent.toolResults as feedback)  [cycle]',
    'graph-errors.yaml:14:5  could not link vad.events -> out.audio: vad.events emits speech-start, speech-stop, out.audio takes audio  [kind-mismatch]',
  ],
  'missing-env.yaml': [
    'missing-env.yaml:4:43  environment variable AUDIO_DIR is not set (set AUDIO_DIR or write ${AUDIO_DIR:-default})  [missing-variable]',
    'missing-env.yaml:8:15  environment variable TEST_AGENT_KEY is not set (set TEST_AGENT_KEY or write ${TEST_AGENT_KEY:-default})  [missing-variable]',
    'missing-env.yaml:10:26  "${GREETING" is not ${NAME} or ${NAME:-default}  [invalid-variable]',
  ],
  'unknown-keys.yaml': [
    'unknown-keys.yaml:4:55  node "mic" (test.mic): unknown config key "sampleRte" (did you mean "sampleRate"?)  [invalid-config]',
    'unknown-keys.yaml:7:5  unknown key "confg" in nodes.vad (did you mean "config"?)  [invalid-pipeline]',
    'unknown-keys.yaml:8:3  node "out" (test.speaker): required input "audio" is not linked (link a node\'s output to out.audio)  [unlinked-input]',
    'unknown-keys.yaml:12:7  node "out" (test.speaker): unknown config key "treshold" (allowed keys: path)  [invalid-config]',
    'unknown-keys.yaml:13:1  unknown key "lnks" (did you mean "links"?)  [invalid-pipeline]',
  ],
  'unlinked-input.yaml': [
    'unlinked-input.yaml:5:3  node "agent" (test.agent): required input "audio" is not linked (link a node\'s output to agent.audio)  [unlinked-input]',
  ],
  'unknown-node-type.yaml': [
    'unknown-node-type.yaml:5:16  unknown node type "test.vda" for node "vad" (did you mean "test.vad"?)  [unknown-node-type]',
    'unknown-node-type.yaml:6:19  unknown node type "audio.vad-energy" for node "energy" (install @beluga-voice/nodes-audio)  [unknown-node-type]',
  ],
  'wrong-types.yaml': [
    'wrong-types.yaml:4:61  node "mic" (test.mic): config.pace: Invalid option: expected one of "realtime"|"fast"  [invalid-config]',
    'wrong-types.yaml:4:76  node "mic" (test.mic): config.frames: Too small: expected number to be >0  [invalid-config]',
    'wrong-types.yaml:8:18  node "vad" (test.vad): config.threshold: Invalid input: expected number, received string  [invalid-config]',
    'wrong-types.yaml:10:46  node "out" (test.speaker): config.path: Invalid input: expected string, received number  [invalid-config]',
  ],
  'yaml-syntax.yaml': [
    'yaml-syntax.yaml:5:3  Flow map in block collection must be sufficiently indented and end with a }  [yaml-syntax]',
  ],
};

describe('broken pipeline files', () => {
  for (const [name, lines] of Object.entries(EXPECTED)) {
    test(`${name} reports every problem at its position`, () => {
      const loaded = load(name, { AUDIO_FILE: 'x.wav' });
      expect(loaded.issues.map(formatFileIssue)).toEqual(lines);
      expect(loaded.graph).toBeUndefined();
    });
  }
});

test('the valid file loads into a graph with no issue', () => {
  const loaded = load('valid.yaml');
  expect(loaded.issues).toEqual([]);
  expect([...(loaded.graph?.nodes.keys() ?? [])]).toEqual(['mic', 'vad', 'up', 'agent', 'out', 'tools']);
});

test('autoConvert inserts the converter the caps mismatch names', () => {
  const text = readFileSync(new URL('./fixtures/pipelines/caps-mismatch.yaml', import.meta.url), 'utf8');
  const loaded = loadPipeline(text, { file: 'caps-mismatch.yaml', registry, env: {}, autoConvert: true });
  expect(loaded.issues).toEqual([]);
  expect(loaded.graph?.inserted).toEqual([
    {
      node: 'mic_to_agent_resample',
      converter: 'test.resample',
      from: 'pcm16 16000 Hz mono',
      to: 'pcm16 24000 Hz mono',
      reason: 'mic.audio -> agent.audio: 16000 Hz not accepted (24000 Hz)',
    },
  ]);
});
