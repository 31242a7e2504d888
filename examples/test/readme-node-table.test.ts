import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../scripts/node-table.mjs', import.meta.url));

describe('README', () => {
  it('lists every registered node type (the table is generated from the registry and current)', () => {
    const run = () => execFileSync(process.execPath, [script, '--check'], { encoding: 'utf8', stdio: 'pipe' });
    expect(run).not.toThrow();
  });
});
