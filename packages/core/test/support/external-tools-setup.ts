import { EXTERNAL_TOOLS, type ExternalTool, MISSING_TOOLS_VARIABLE, toolRuns } from './external-tool.js';

/**
 * Vitest global setup: finds the external tools once. Tests needing a missing one are skipped and
 * this says so in one line; under CI (`BELUGA_REQUIRE_TOOLS=1`, set by `.ci/run`) a missing tool
 * fails the run instead, so CI runs every test.
 */
export default function checkExternalTools(): void {
  const missing = (Object.keys(EXTERNAL_TOOLS) as ExternalTool[]).filter((tool) => !toolRuns(tool));
  process.env[MISSING_TOOLS_VARIABLE] = missing.join(',');
  if (missing.length === 0) return;
  const install = missing.map((tool) => EXTERNAL_TOOLS[tool].install.replace('apt-get install ', '')).join(' ');
  const line = `${missing.join(', ')} not found on the PATH: the tests that need ${missing.length === 1 ? 'it' : 'them'} are skipped (apt-get install ${install})`;
  if (process.env.BELUGA_REQUIRE_TOOLS === '1') throw new Error(`${line}; BELUGA_REQUIRE_TOOLS=1 requires them`);
  console.warn(`skipped: ${line}`);
}
