import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(fileURLToPath(new URL(path, import.meta.url)), 'utf8');
const readme = read('../../README.md');

/** The fenced blocks of `lang` in the section titled `heading`. */
function blocks(heading: string, lang: string): string[] {
  const start = readme.indexOf(`\n## ${heading}\n`);
  expect(start, `README.md has no section "${heading}"`).toBeGreaterThanOrEqual(0);
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\`\\n`, 'g'))].map((m) => m[1]);
}

describe("the README's snippets are the code that is tested", () => {
  it('the YAML pipeline is examples/echo-demo.yaml, as shipped', () => {
    expect(blocks('A pipeline in YAML', 'yaml')[0]).toBe(read('../echo-demo.yaml'));
  });

  it('"Writing a node" is the node the packed core app type-checks strictly and runs', () => {
    const snippet = blocks('Writing a node', 'ts')[0];
    const app = read('./packed-apps/core.ts');
    const [imports, body] = [snippet.slice(0, snippet.indexOf('\n\n')), snippet.slice(snippet.indexOf('\n\n') + 2)];
    // The same names from the same modules (the app imports a few more, to run the node).
    for (const line of imports.split('\n')) {
      const [, names = '', from = ''] = /^import \{ (.*) \} from '(.*)';$/.exec(line) ?? [];
      const appLine = app.split('\n').find((l) => l.endsWith(` from '${from}';`)) ?? '';
      for (const name of names.split(', ')) expect(appLine, line).toContain(name);
    }
    expect(app).toContain(body);
  });
});
