import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { Registry } from '../src/registry.js';
import { formatFileIssue, loadPipeline, loadPipelineFile } from '../src/yaml/index.js';
import { nodes } from './fixtures/pipelines/plugins/test-nodes.mjs';

const registry = new Registry(nodes, 'test-nodes');
const dir = mkdtempSync(join(tmpdir(), 'beluga-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const load = (text: string, file = 'p.yaml') => loadPipeline(text, { file, registry, env: {} });
const problems = (text: string, file = 'p.yaml') => load(text, file).issues.map(formatFileIssue);

function longChain(count: number, closeLoop: boolean): string {
  const ids = Array.from({ length: count }, (_, i) => `r${i}`);
  const declared = ids.map((id) => `  ${id}: { type: test.resample, config: { sampleRate: 16000 } }`).join('\n');
  const loop = closeLoop ? `  - r${count - 1} -> r0\n` : '';
  return `version: 1
nodes:
  mic: { type: test.mic, config: { path: ./in.wav } }
${declared}
  out: { type: test.speaker, config: { path: ./o.wav } }
links:
  - mic -> ${ids.join(' -> ')} -> out
${loop}`;
}

describe('files built to break the loader', () => {
  test('a chain of 4,500 nodes is validated without overflowing the stack', () => {
    const loaded = load(longChain(4_500, false));
    expect(loaded.issues).toEqual([]);
    expect(loaded.graph?.nodes.size).toBe(4_502);
  });

  test('a cycle closing a 4,500-node chain is reported at the link that closes it', () => {
    const text = longChain(4_500, true);
    const line = text.split('\n').indexOf('  - r4499 -> r0') + 1;
    const [cycle] = problems(text).filter((p) => p.endsWith('[cycle]'));
    expect(cycle).toMatch(
      new RegExp(`^p\\.yaml:${line}:5  cycle r0 -> r1 -> .* -> r4499 -> r0 without a declared feedback link`),
    );
  });

  test('__proto__ as a config key is reported as unknown, at the key', () => {
    expect(
      problems(`version: 1
nodes:
  mic: { type: test.mic, config: { path: ./in.wav, __proto__: { polluted: true } } }
  out: { type: test.speaker, config: { path: ./o.wav } }
links:
  - mic -> out
`),
    ).toEqual([
      'p.yaml:3:52  node "mic" (test.mic): unknown config key "__proto__" (allowed keys: path, pace, sampleRate, frames, failAfter)  [invalid-config]',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('a billion-laughs alias bomb is refused at the alias that nests', () => {
    const laughs = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (const [name, inner] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
      ['e', 'd'],
      ['f', 'e'],
      ['g', 'f'],
    ])
      laughs.push(`${name}: &${name} [${Array(9).fill(`*${inner}`).join(', ')}]`);
    const text = `version: 1
${laughs.join('\n')}
nodes:
  mic: { type: test.mic, config: { path: ./in.wav } }
  out: { type: test.speaker, config: { path: ./o.wav } }
links:
  - mic -> out
`;
    expect(problems(text)).toEqual([
      'p.yaml:4:8  alias *b expands aliases nested in aliases past 100 expansions (a "billion laughs" pattern) (write the repeated values out, or use aliases whose anchors hold no aliases)  [yaml-syntax]',
    ]);
  });

  test('a bad queue unit is reported once, without a spurious unlinked input', () => {
    expect(
      problems(`version: 1
nodes:
  mic: { type: test.mic, config: { path: ./in.wav } }
  out: { type: test.speaker, config: { path: ./o.wav } }
links:
  - { chain: "mic -> out", queue: { max: 400 parsecs } }
`),
    ).toEqual([
      'p.yaml:6:42  links[0].queue.max must be a frame count (40) or a duration ("400ms", "2s")  [invalid-link]',
    ]);
  });

  test('a file that is not UTF-8 is rejected with the byte offset, not silently mangled', async () => {
    const latin1 = join(dir, 'latin1.yaml');
    const text = 'version: 1\nname: caf\u00e9\nnodes:\n  mic: { type: test.mic, config: { path: ./in.wav } }\n';
    writeFileSync(latin1, Buffer.from(text, 'latin1'));
    const loaded = await loadPipelineFile(latin1, { registry, env: {} });
    expect(loaded.issues.map(formatFileIssue)).toEqual([
      `${latin1}:2:10  the file is not valid UTF-8: byte 0xE9 at byte offset 20 (save the file as UTF-8)  [invalid-encoding]`,
    ]);
    expect(loaded.graph).toBeUndefined();

    const utf16 = join(dir, 'utf16.yaml');
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    expect((await loadPipelineFile(utf16, { registry, env: {} })).issues.map(formatFileIssue)).toEqual([
      `${utf16}:1:1  the file is not valid UTF-8: byte 0xFF at byte offset 0 (save the file as UTF-8, not UTF-16)  [invalid-encoding]`,
    ]);
  });

  test('a UTF-8 file with multi-byte characters and a byte order mark loads', async () => {
    const file = join(dir, 'utf8.yaml');
    const text = `\ufeffversion: 1\nname: café ☕ 𝄞\nnodes:\n  mic: { type: test.mic, config: { path: ./in.wav } }\n  out: { type: test.speaker, config: { path: ./o.wav } }\nlinks:\n  - mic -> out\n`;
    writeFileSync(file, text, 'utf8');
    const loaded = await loadPipelineFile(file, { registry, env: {} });
    expect(loaded.issues).toEqual([]);
    expect(loaded.spec.name).toBe('café ☕ 𝄞');
  });
});
