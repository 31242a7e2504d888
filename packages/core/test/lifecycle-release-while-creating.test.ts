import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { defineNode, GraphBuilder, PipelineAbortedError, Registry } from '@beluga-voice/core';
import { NEVER } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { testNodes } from './support/test-nodes.js';

const children: ChildProcess[] = [];
const alive = (child: ChildProcess | undefined) =>
  child !== undefined && child.exitCode === null && child.signalCode === null;

/** Starts a helper process while it is created (like an MCP tool server), then registers its release. */
const helper = defineNode({
  type: 'test.helper-process',
  summary: 'Spawns a long-lived child during an async create',
  config: z.object({ startMs: z.number() }).strict(),
  inputs: {},
  outputs: { audio: { kinds: ['audio'] } },
  async create(cfg, ctx) {
    await new Promise((resolve) => setTimeout(resolve, cfg.startMs));
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    children.push(child);
    ctx.onClose(async () => {
      if (alive(child)) {
        child.kill('SIGKILL');
        await once(child, 'exit');
      }
    });
    return () => ({ audio: NEVER });
  },
});

/** Fails to create after `failMs`, while its neighbour is still starting. */
const broken = defineNode({
  type: 'test.broken',
  summary: 'Fails while being created',
  config: z.object({ failMs: z.number() }).strict(),
  inputs: { audio: { kinds: ['audio'] } },
  outputs: {},
  async create(cfg) {
    await new Promise((resolve) => setTimeout(resolve, cfg.failMs));
    throw new Error('no such device');
  },
});

const registry = new Registry([...testNodes, helper, broken]);

describe('done waits for nodes that were still being created', () => {
  it('abort() while a node is starting: its child process is gone when done settles', async () => {
    const before = children.length;
    const pipeline = new GraphBuilder(registry)
      .node('tools', 'test.helper-process', { startMs: 50 })
      .build()
      .start({ metricsIntervalMs: 0 });
    await new Promise((resolve) => setTimeout(resolve, 10));
    await pipeline.abort('test');
    await expect(pipeline.done).rejects.toBeInstanceOf(PipelineAbortedError);
    expect(children).toHaveLength(before + 1);
    expect(alive(children[before])).toBe(false);
  });

  it('another node failing to start: the starting node still releases what it opened before done rejects', async () => {
    const before = children.length;
    const pipeline = new GraphBuilder(registry)
      .node('tools', 'test.helper-process', { startMs: 80 })
      .node('mic', 'test.broken', { failMs: 5 })
      .link('tools', 'mic')
      .build()
      .start({ metricsIntervalMs: 0 });
    await expect(pipeline.done).rejects.toThrow('node "mic" (test.broken) could not start: no such device');
    expect(children).toHaveLength(before + 1);
    expect(alive(children[before])).toBe(false);
  });
});
