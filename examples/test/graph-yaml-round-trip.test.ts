import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const examples = fileURLToPath(new URL('../', import.meta.url));
const bin = fileURLToPath(new URL('../../packages/core/dist/cli/bin.js', import.meta.url));
const files = readdirSync(examples).filter((f) => f.endsWith('.yaml'));
// Set, so that a writer baking values in would print them; unset ones must keep their defaults.
const env = {
  PATH: process.env.PATH ?? '',
  OPENAI_BASE_URL: 'ws://127.0.0.1:9/v1',
  OPENAI_API_KEY: 'sk-test-not-printed',
};

const beluga = (args: string[], input?: string) =>
  execFileSync(process.execPath, [bin, ...args], { cwd: examples, env, encoding: 'utf8', input });

/** Every `${…}` reference in a text, in order. */
const references = (text: string) => [...text.matchAll(/(?<!\$)\$\{[^}]*\}/g)].map((m) => m[0]);

describe('beluga graph --format yaml | beluga validate - holds for every example', () => {
  for (const file of files) {
    it(file, () => {
      const yaml = beluga(['graph', file, '--format', 'yaml']);
      expect(beluga(['validate', '-'], yaml)).toMatch(/^<stdin>: ok \(\d+ nodes, \d+ links\)\n$/);
      // The same variables, defaults included, in the same order; none of their values.
      expect(references(yaml)).toEqual(references(readFileSync(join(examples, file), 'utf8').replace(/^#.*$/gm, '')));
      expect(yaml).not.toContain('sk-test-not-printed');
      expect(yaml).not.toContain('127.0.0.1:9/');
      // And it describes the same graph: printing it again gives the same text.
      expect(beluga(['graph', '-', '--format', 'yaml'], yaml)).toBe(yaml);
    });
  }

  it('keeps a variable written inside a longer value', () => {
    const yaml = beluga(['graph', '-', '--format', 'yaml'], PARTIAL);
    expect(yaml).toContain('path: ${FIXTURES:-../fixtures}/audio/single-utterance-16k.wav');
    expect(beluga(['validate', '-'], yaml)).toBe('<stdin>: ok (2 nodes, 1 links)\n');
  });
});

const PARTIAL = `version: 1
nodes:
  mic: { type: audio.file-source, config: { path: "\${FIXTURES:-../fixtures}/audio/single-utterance-16k.wav" } }
  out: { type: audio.null-sink }
links:
  - mic -> out
`;
