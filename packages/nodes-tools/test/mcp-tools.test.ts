import { readdirSync, readFileSync } from 'node:fs';
import type { Frame, ToolSpec } from '@beluga-voice/core';
import { type NodeHarness, runNode as runHarness } from '@beluga-voice/core/testing';
import { Subject } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { toolRouterNode } from '../src/index.js';
import { problems, routerCapturingOffers, toolCall } from './support.js';

const baseDir = new URL('.', import.meta.url).pathname;
const server = {
  command: process.execPath,
  args: ['fixtures/mcp-server.mjs'],
  env: { BELUGA_GREETING: 'ahoy', SERVICE_TOKEN: 'tok-4f9a8b7c6d5e' },
};

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Live MCP fixture servers started by this test process. */
function fixtureServers(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return ppid === process.pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('mcp-server.mjs');
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function nextResult(results: Frame[], count: number): Promise<Frame> {
  for (let i = 0; i < 200 && results.length < count; i++) await new Promise((r) => setTimeout(r, 10));
  return results[count - 1];
}

const open: NodeHarness[] = [];

/** Runs the node and closes it after the test, even when the test fails midway. */
async function runNode(...args: Parameters<typeof runHarness>): Promise<NodeHarness> {
  const harness = await runHarness(...args);
  open.push(harness);
  return harness;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.close()));
});

describe('tools from an MCP server over stdio', () => {
  it('starts the server with the node, lists and routes its tools, and stops it on close', async () => {
    const offered = new Map<string, unknown>();
    const calls = new Subject<Frame>();
    const harness = await runNode(routerCapturingOffers(offered), {
      id: 'tools',
      config: { tools: [{ mcp: { ...server, prefix: 'srv_' } }, 'calculator'] },
      inputs: { calls },
      baseDir,
    });
    const specs = offered.get('tools') as ToolSpec[];
    expect(specs.map((s) => s.name)).toEqual([
      'srv_add',
      'srv_server_pid',
      'srv_greeting',
      'srv_refuse',
      'srv_chart',
      'srv_wait',
      'srv_cancelled_count',
      'calculator',
    ]);
    expect(specs[0]).toEqual({
      name: 'srv_add',
      description: 'Adds two numbers',
      parameters: {
        type: 'object',
        properties: { a: { type: 'number', description: 'First' }, b: { type: 'number', description: 'Second' } },
        required: ['a', 'b'],
      },
    });

    const results: Frame[] = [];
    harness.outputs.results?.subscribe((r) => results.push(r));
    calls.next(toolCall('m1', 'srv_add', { a: 2, b: 40 }));
    expect(await nextResult(results, 1)).toMatchObject({ id: 'm1', name: 'srv_add', output: '42' });

    calls.next(toolCall('m2', 'srv_refuse', { why: 'not today' }));
    expect(await nextResult(results, 2)).toMatchObject({
      id: 'm2',
      output: 'Error: tool "srv_refuse" failed: refused: not today',
      isError: true,
    });

    calls.next(toolCall('m3', 'srv_add', { a: 'two' }));
    const invalid = await nextResult(results, 3);
    expect(invalid).toMatchObject({ id: 'm3', isError: true });
    expect((invalid as { output: string }).output).toMatch(
      /^Error: tool "srv_add" failed: MCP error -32602: .*Input validation error/,
    );

    calls.next(toolCall('m4', 'srv_chart', {}));
    expect(await nextResult(results, 4)).toMatchObject({
      output: 'sales are up\n[image: image/png, 8 bytes]\nfull report\n[resource link: raw.csv file:///raw.csv]',
    });

    calls.next(toolCall('m5', 'srv_greeting', {}));
    expect(await nextResult(results, 5)).toMatchObject({ output: 'ahoy' });

    calls.next(toolCall('m6', 'srv_server_pid', {}));
    const pid = Number(((await nextResult(results, 6)) as { output: string }).output);
    expect(pid).toBeGreaterThan(0);
    expect(pid).not.toBe(process.pid);
    expect(isRunning(pid)).toBe(true);
    expect(fixtureServers()).toEqual([pid]);

    expect(harness.events).toContainEqual(
      expect.objectContaining({
        type: 'log',
        level: 'debug',
        message: `MCP server "${process.execPath} fixtures/mcp-server.mjs": using service token [redacted]`,
      }),
    );
    expect(JSON.stringify(harness.events)).not.toContain('tok-4f9a8b7c6d5e');

    expect(await harness.close()).toEqual([]);
    expect(isRunning(pid)).toBe(false);
    expect(fixtureServers()).toEqual([]);
    expect(problems(harness.events).filter((p) => p.code === 'mcp-server-exited')).toEqual([]);
    expect(harness.events).toContainEqual(
      expect.objectContaining({
        type: 'log',
        level: 'info',
        message: `MCP server "${process.execPath} fixtures/mcp-server.mjs" started with 7 tools`,
      }),
    );
  });

  it('cancels an MCP request on interrupt when the server is marked cancelOnInterrupt', async () => {
    const calls = new Subject<Frame>();
    const harness = await runNode(toolRouterNode, {
      config: { tools: [{ mcp: { ...server, cancelOnInterrupt: true } }] },
      inputs: { calls },
      baseDir,
    });
    const results: Frame[] = [];
    harness.outputs.results?.subscribe((r) => results.push(r));
    calls.next(toolCall('w', 'wait', {}));
    await new Promise((r) => setTimeout(r, 100));
    harness.sendControl({ type: 'interrupt', source: 'vad' });
    expect(await nextResult(results, 1)).toMatchObject({
      id: 'w',
      output: 'Cancelled: tool "wait" was stopped because the user interrupted',
      cancelled: true,
    });
    // The server saw the cancellation (notifications/cancelled), not just the router.
    let count = '0';
    for (let i = 0; i < 50 && count === '0'; i++) {
      calls.next(toolCall(`n${i}`, 'cancelled_count', {}));
      count = ((await nextResult(results, 2 + i)) as { output: string }).output;
    }
    expect(count).toBe('1');
    await harness.close();
  });

  it('reports a server that exits while the pipeline runs', async () => {
    const calls = new Subject<Frame>();
    const harness = await runNode(toolRouterNode, {
      id: 'tools',
      config: { tools: [{ mcp: server }] },
      inputs: { calls },
      baseDir,
    });
    const results: Frame[] = [];
    harness.outputs.results?.subscribe((r) => results.push(r));
    calls.next(toolCall('p', 'server_pid', {}));
    const pid = Number(((await nextResult(results, 1)) as { output: string }).output);
    process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 200 && problems(harness.events).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(problems(harness.events)).toEqual([
      {
        type: 'error',
        code: 'mcp-server-exited',
        message: `MCP server "${process.execPath} fixtures/mcp-server.mjs" exited; its tools fail until the pipeline restarts`,
      },
    ]);
    calls.next(toolCall('q', 'add', { a: 1, b: 1 }));
    expect(await nextResult(results, 2)).toMatchObject({
      id: 'q',
      isError: true,
      output: expect.stringMatching(/^Error: tool "add" failed: /),
    });
    await harness.close();
  });

  it('fails to create with a clear message when the server cannot start', async () => {
    await expect(
      runNode(toolRouterNode, {
        id: 'tools',
        config: { tools: [{ mcp: { command: 'beluga-no-such-mcp-server' } }] },
        baseDir,
      }),
    ).rejects.toThrow(
      'tools.router "tools": cannot start MCP server "beluga-no-such-mcp-server": spawn beluga-no-such-mcp-server ENOENT',
    );
  });

  it('stops a started server when another source fails', async () => {
    await expect(
      runNode(toolRouterNode, {
        id: 'tools',
        config: { tools: [{ mcp: server }, { mcp: server }] },
        baseDir,
      }),
    ).rejects.toThrow(
      `tools.router "tools": two tools are named "add" (MCP server "${process.execPath} fixtures/mcp-server.mjs" and MCP server "${process.execPath} fixtures/mcp-server.mjs"); remove one, or give an MCP server a prefix`,
    );
    expect(fixtureServers()).toEqual([]);
  });
});
