// Writes the README's table of node types from the registries of the built packages.
// `--check` exits 1 (and says what to run) when the README is not current.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeNode } from '../packages/core/dist/cli/node-fields.js';
import { Registry } from '../packages/core/dist/index.js';

const packages = [
  ['@beluga-voice/core', '../packages/core/dist/nodes.js'],
  ['@beluga-voice/nodes-audio', '../packages/nodes-audio/dist/nodes.js'],
  ['@beluga-voice/nodes-tools', '../packages/nodes-tools/dist/nodes.js'],
  ['@beluga-voice/provider-openai-realtime', '../packages/provider-openai-realtime/dist/nodes.js'],
  ['@beluga-voice/vad-silero', '../packages/vad-silero/dist/nodes.js'],
  ['@beluga-voice/transport-websocket', '../packages/transport-websocket/dist/nodes.js'],
  ['@beluga-voice/provider-gemini-live', '../packages/provider-gemini-live/dist/nodes.js'],
];
const registry = new Registry();
for (const [name, path] of packages) registry.registerAll((await import(path)).nodes, name);

const cell = (text) => String(text).replaceAll('|', '\\|').replaceAll('\n', ' ');
const ports = (list) => list.map((p) => `${p.name}${p.required ? '*' : ''}`).join(', ') || '—';
const rows = registry.entries().map((entry) => {
  const info = describeNode(entry);
  const fields = info.config.map((f) => `\`${f.name}\``).join(', ') || '—';
  return `| \`${info.type}\` | ${cell(info.package ?? '')} | ${cell(info.summary)} | ${ports(info.inputs)} | ${ports(info.outputs)} | ${fields} |`;
});
const table = [
  '| type | package | summary | inputs (* required) | outputs | config |',
  '|---|---|---|---|---|---|',
  ...rows,
].join('\n');

const readmePath = fileURLToPath(new URL('../README.md', import.meta.url));
const readme = readFileSync(readmePath, 'utf8');
const start = '<!-- nodes:start -->\n';
const end = '<!-- nodes:end -->';
const next = readme.replace(new RegExp(`${start}[\\s\\S]*?${end}`), `${start}${table}\n${end}`);
if (process.argv.includes('--check')) {
  if (next !== readme) {
    console.error('README.md node table is out of date: run `pnpm build && node scripts/node-table.mjs`');
    process.exit(1);
  }
} else {
  writeFileSync(readmePath, next);
}
