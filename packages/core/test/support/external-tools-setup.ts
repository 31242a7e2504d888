import { createRequire } from 'node:module';
import { delimiter, dirname } from 'node:path';
import { EXTERNAL_TOOLS, type ExternalTool, MISSING_TOOLS_VARIABLE, toolRuns } from './external-tool.js';

/** The ffmpeg binary of the `@ffmpeg-installer/ffmpeg` dev dependency (shipped in its npm tarball), if any. */
function installedFfmpeg(): string | undefined {
  try {
    return (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path;
  } catch {
    return undefined;
  }
}

/**
 * Vitest global setup: finds the external tools once. Without ffmpeg on the PATH, the one the
 * project installs from npm is put first on the workers' PATH. Tests needing a tool still missing
 * are skipped and this says so in one line; under CI (`BELUGA_REQUIRE_TOOLS=1`, set by `.ci/run`)
 * a missing tool fails the run instead, so CI runs every test.
 */
export default function checkExternalTools(): void {
  const ffmpeg = toolRuns('ffmpeg') ? undefined : installedFfmpeg();
  if (ffmpeg) process.env.PATH = `${dirname(ffmpeg)}${delimiter}${process.env.PATH ?? ''}`;
  const missing = (Object.keys(EXTERNAL_TOOLS) as ExternalTool[]).filter((tool) => !toolRuns(tool));
  process.env[MISSING_TOOLS_VARIABLE] = missing.join(',');
  if (missing.length === 0) return;
  const install = missing.map((tool) => EXTERNAL_TOOLS[tool].install.replace('apt-get install ', '')).join(' ');
  const line = `${missing.join(', ')} not found on the PATH: the tests that need ${missing.length === 1 ? 'it' : 'them'} are skipped (apt-get install ${install})`;
  if (process.env.BELUGA_REQUIRE_TOOLS === '1') throw new Error(`${line}; BELUGA_REQUIRE_TOOLS=1 requires them`);
  console.warn(`skipped: ${line}`);
}
