#!/usr/bin/env node
// Committed, not built: package managers link `beluga` at install time, before `dist/` exists.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/bin.js', import.meta.url);
if (existsSync(entry)) {
  await import(entry.href);
} else {
  process.stderr.write('beluga: @beluga-voice/core is not built (no dist/cli/bin.js): run `pnpm build` first\n');
  process.exitCode = 1;
}
