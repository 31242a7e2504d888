import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { hasTool } from '../../packages/core/test/support/external-tool.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const isCheckout = hasTool('git') && existsSync(join(root, '.git'));
const work = mkdtempSync(join(tmpdir(), 'beluga-clone-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The README's line for `command`, exactly as printed (comment stripped); fails when the README lost it. */
function readmeCommand(command: string): string {
  const line = readme
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .find((l) => l === command || l.endsWith(`&& ${command}`));
  expect(line, `README.md has no line "${command}"`).toBeDefined();
  return line as string;
}

const sh = (line: string, cwd: string, env: Record<string, string> = {}) =>
  execFileSync('sh', ['-c', line], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 200_000,
    env: { ...process.env, ...env },
  });

describe.skipIf(!isCheckout)("the README's first commands, on a fresh clone", () => {
  it('pnpm install && pnpm demo, then cd examples && npx beluga validate echo-demo.yaml', () => {
    const setup = readmeCommand('pnpm install && pnpm demo');
    const validate = readmeCommand('cd examples && npx beluga validate echo-demo.yaml');
    const clone = join(work, 'beluga-voice');
    execFileSync('git', ['clone', '--quiet', root, clone], { stdio: 'ignore', timeout: 60_000 });
    expect(existsSync(join(clone, 'packages/core/dist'))).toBe(false);

    // `npm i -g pnpm@10 &&` is left out: the test runs under pnpm already. The store makes it quick.
    sh(setup.replace(/^npm i -g pnpm@10 && /, ''), clone, { npm_config_prefer_offline: 'true' });
    const echo = readFileSync(join(clone, 'examples/out/echo.wav'));
    expect(echo.subarray(0, 4).toString()).toBe('RIFF');
    expect(echo.readUInt32LE(40) / 48_000).toBeGreaterThan(1.5); // ~2 s of 24 kHz pcm16 echo

    // npx must find the linked bin; an unreachable registry makes any fall-back to npm fail loudly.
    const out = sh(validate, clone, { npm_config_registry: 'http://127.0.0.1:9/', npm_config_offline: 'true' });
    expect(out).toBe('echo-demo.yaml: ok (8 nodes, 8 links)\n');
  }, 300_000);
});
