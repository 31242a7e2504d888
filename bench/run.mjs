// Runs every bench/*.bench.mjs in its own process, one after another, and prints a table of the
// JSON result lines they print (each result carries its same-run baseline and the ratio).
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
const results = [];
let failed = 0;
for (const file of files) {
  process.stderr.write(`bench ${file} ...\n`);
  const run = spawnSync(process.execPath, ['--expose-gc', join(here, file)], { encoding: 'utf8', timeout: 900_000 });
  if (run.status !== 0) {
    failed++;
    process.stderr.write(`bench ${file} failed (exit ${run.status}):\n${run.stderr}\n`);
    continue;
  }
  for (const line of run.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    results.push({ file, ...JSON.parse(line) });
  }
}
const fmt = (v) => (typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3)) : String(v ?? ''));
console.log('| bench | subject | value | baseline | baseline value | ratio | target |');
console.log('|---|---|---|---|---|---|---|');
for (const r of results) {
  console.log(
    `| ${r.bench} | ${r.subject} | ${fmt(r.value)} ${r.unit ?? ''} | ${r.baseline ?? ''} | ${fmt(r.baselineValue)} | ${fmt(r.ratio)} | ${r.target ?? ''} |`,
  );
}
writeFileSync(join(here, '..', 'bench-results.json'), `${JSON.stringify(results, null, 2)}\n`);
if (failed > 0) process.exit(1);
