import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toolSourceProblems } from '../src/tool-source-check.js';

const dir = mkdtempSync(join(tmpdir(), 'beluga-tool-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'server.sh'), '#!/bin/sh\n');
chmodSync(join(dir, 'server.sh'), 0o755);
writeFileSync(join(dir, 'notes.txt'), 'not a program\n');

describe('validate finds the MCP servers a router could not start, without starting them', () => {
  it('passes a command on PATH and an executable path; names a missing command, a non-executable file and a missing folder', () => {
    const problems = toolSourceProblems(
      [
        { mcp: { command: 'node', args: ['server.mjs'] } },
        { mcp: { command: './server.sh' } },
        { mcp: { command: 'beluga-no-such-mcp-server' } },
        { mcp: { command: './notes.txt' } },
        { mcp: { command: 'node', cwd: './nowhere' } },
        { mcp: { command: 'node', env: { PATH: join(dir, 'empty-path') } } },
      ],
      dir,
    );
    expect(problems).toEqual([
      {
        path: ['tools', 2, 'mcp', 'command'],
        message: 'MCP server command "beluga-no-such-mcp-server" is not on PATH',
        fix: 'install it, or give the path of the executable',
      },
      {
        path: ['tools', 3, 'mcp', 'command'],
        message: `MCP server command ./notes.txt (${join(dir, 'notes.txt')}) is not an executable file`,
        fix: 'install it, or give the path of the executable',
      },
      {
        path: ['tools', 4, 'mcp', 'cwd'],
        message: `MCP server folder ./nowhere (${join(dir, 'nowhere')}) is not a folder`,
        fix: "check the path: it resolves against the pipeline file's folder",
      },
      {
        path: ['tools', 5, 'mcp', 'command'],
        message: 'MCP server command "node" is not on PATH',
        fix: 'install it, or give the path of the executable',
      },
    ]);
  });
});
