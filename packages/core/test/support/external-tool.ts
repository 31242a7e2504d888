import { spawnSync } from 'node:child_process';

/** The external programs some tests use, with how to get each; the probe exits 0 when it runs. */
export const EXTERNAL_TOOLS = {
  ffmpeg: { probe: ['-version'], install: 'apt-get install ffmpeg' },
  sox: { probe: ['--version'], install: 'apt-get install sox' },
  openssl: { probe: ['version'], install: 'apt-get install openssl' },
  git: { probe: ['--version'], install: 'apt-get install git' },
} as const;

export type ExternalTool = keyof typeof EXTERNAL_TOOLS;

/** Set by the global setup for the test workers: the tools it found missing, comma-separated. */
export const MISSING_TOOLS_VARIABLE = 'BELUGA_MISSING_TOOLS';

export function toolRuns(tool: ExternalTool): boolean {
  return spawnSync(tool, EXTERNAL_TOOLS[tool].probe, { stdio: 'ignore', timeout: 10_000 }).status === 0;
}

/**
 * Whether the tests that need `tool` can run (else they are skipped: the global setup has said so
 * in one line). Outside that setup, asks the system itself.
 */
export function hasTool(tool: ExternalTool): boolean {
  const missing = process.env[MISSING_TOOLS_VARIABLE];
  return missing === undefined ? toolRuns(tool) : !missing.split(',').includes(tool);
}
