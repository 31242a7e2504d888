import { isAbsolute, resolve } from 'node:path';
import { type ConfigProblem, unreadableFile } from '@beluga-voice/core';
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
    const unreadable = unreadableFile(path);
    if (!unreadable) return;
    problems.push({
      path: ['tools', index, 'module'],
      message: `cannot load tool module ${source.module} (${path}): ${unreadable.reason}`,
      fix:
        unreadable.code === 'ENOENT'
          ? "check the path: relative paths resolve against the pipeline file's folder"
          : 'give the path of a readable ES module file',
    });
  });
  return problems;
}
