import { accessSync, constants, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { ConfigProblem } from '@beluga-voice/core';
import type { ToolSource } from './tool-sources.js';

/**
 * The tool modules a router would import that are missing or unreadable, without importing them:
 * validating a pipeline must not run a module's top-level code.
 */
export function toolSourceProblems(sources: readonly ToolSource[], baseDir: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  sources.forEach((source, index) => {
    if (typeof source !== 'object' || !('module' in source)) return;
    const path = isAbsolute(source.module) ? source.module : resolve(baseDir, source.module);
    const reason = unreadable(path);
    if (!reason) return;
    problems.push({
      path: ['tools', index, 'module'],
      message: `cannot load tool module ${source.module} (${path}): ${reason}`,
      fix:
        reason === 'no such file'
          ? "check the path: relative paths resolve against the pipeline file's folder"
          : 'give the path of a readable ES module file',
    });
  });
  return problems;
}

function unreadable(path: string): string | undefined {
  try {
    if (statSync(path).isDirectory()) return 'is a directory';
    accessSync(path, constants.R_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(error);
  }
}
