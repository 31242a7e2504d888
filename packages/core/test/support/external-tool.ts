import { spawnSync } from 'node:child_process';

const said = new Set<string>();

/**
 * Whether an external tool a test needs can run. When it cannot, says so in one line and the caller
 * skips; under CI (`BELUGA_REQUIRE_TOOLS=1`, set by `.ci/run`) a missing tool fails instead, so CI
 * keeps running every test.
 */
export function hasTool(command: string, install: string, probe: readonly string[] = ['--version']): boolean {
  const ok = spawnSync(command, probe, { stdio: 'ignore', timeout: 10_000 }).status === 0;
  if (ok) return true;
  const message = `${command} not found on the PATH: the tests that need it are skipped (install: ${install})`;
  if (process.env.BELUGA_REQUIRE_TOOLS === '1') throw new Error(`${message}; BELUGA_REQUIRE_TOOLS=1 requires it`);
  if (!said.has(command)) console.warn(`skipped: ${message}`);
  said.add(command);
  return false;
}
