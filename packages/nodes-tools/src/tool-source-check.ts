import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { type ConfigProblem, unreadableFile } from '@beluga-voice/core';
import type { McpServerSource } from './mcp-tools.js';
import type { ToolSource } from './tool-sources.js';

/**
 * The tool modules a router would import that are missing or unreadable, and the MCP servers it
 * could not start (no such command, no such folder), without importing or starting anything:
 * validating a pipeline must not run a module's top-level code or a server.
 */
export function toolSourceProblems(sources: readonly ToolSource[], baseDir: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  sources.forEach((source, index) => {
    if (typeof source === 'object' && 'mcp' in source) {
      problems.push(...mcpServerProblems(source.mcp, baseDir, ['tools', index, 'mcp']));
      return;
    }
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

function mcpServerProblems(mcp: McpServerSource, baseDir: string, at: readonly (string | number)[]): ConfigProblem[] {
  const cwd = resolve(baseDir, mcp.cwd ?? '.');
  if (!isDirectory(cwd)) {
    return [
      {
        path: [...at, 'cwd'],
        message: `MCP server folder ${mcp.cwd} (${cwd}) is not a folder`,
        fix: "check the path: it resolves against the pipeline file's folder",
      },
    ];
  }
  // As spawn finds it: a path with a slash from the server's folder, a bare name on PATH.
  const search = mcp.env?.PATH ?? process.env.PATH ?? '';
  const found = mcp.command.includes('/')
    ? isExecutable(resolve(cwd, mcp.command))
    : search.split(delimiter).some((dir) => dir !== '' && isExecutable(join(dir, mcp.command)));
  if (found) return [];
  return [
    {
      path: [...at, 'command'],
      message: mcp.command.includes('/')
        ? `MCP server command ${mcp.command} (${resolve(cwd, mcp.command)}) is not an executable file`
        : `MCP server command "${mcp.command}" is not on PATH`,
      fix: 'install it, or give the path of the executable',
    },
  ];
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
