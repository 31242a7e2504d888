import { randomUUID } from 'node:crypto';
import { defineNode } from '@beluga-voice/core';
import { z } from 'zod';
import { BUILTIN_TOOL_NAMES } from './builtins/index.js';
import { routeCalls } from './route-calls.js';
import { isTool, type Tool, toolSpec } from './tool.js';
import { ToolExecutor } from './tool-executor.js';
import { toolSourceProblems } from './tool-source-check.js';
import { invalidSourceMessage, resolveToolSources } from './tool-sources.js';

const builtinName = z.enum(BUILTIN_TOOL_NAMES).describe('A built-in tool');

const toolSource = z.union(
  [
    builtinName,
    z.object({ builtin: builtinName }).strict(),
    z
      .object({
        module: z.string().min(1).describe('Path of an ES module, relative to the pipeline file'),
        export: z.string().min(1).optional().describe('The export holding the tool (default: every exported tool)'),
      })
      .strict(),
    z
      .object({
        mcp: z
          .object({
            command: z.string().min(1).describe('Executable that starts the MCP server (stdio)'),
            args: z.array(z.string()).default([]).describe('Its arguments'),
            env: z.record(z.string(), z.string()).optional().describe('Environment variables added for the server'),
            cwd: z.string().optional().describe('Working directory, relative to the pipeline file'),
            prefix: z.string().optional().describe("Prepended to the server's tool names"),
            timeoutMs: z.number().int().positive().optional().describe('Time limit per call (default: the router’s)'),
            cancelOnInterrupt: z.boolean().default(false).describe('Cancel in-flight calls when the user interrupts'),
            startTimeoutMs: z
              .number()
              .int()
              .positive()
              .default(10_000)
              .describe('Time allowed to start and list tools'),
          })
          .strict()
          .describe('An MCP server over stdio, started and stopped with the pipeline'),
      })
      .strict(),
    z.custom<Tool>(isTool),
  ],
  { error: (issue) => invalidSourceMessage(issue.input) },
);

const config = z
  .object({
    tools: z
      .array(toolSource)
      .min(1)
      .describe('Built-in names, { builtin }, { module, export }, { mcp } or tool objects (from code)'),
    concurrency: z.number().int().min(1).max(64).default(4).describe('Calls running at the same time, at most'),
    timeoutMs: z.number().int().positive().default(10_000).describe('Time limit per call for tools that set none'),
  })
  .strict();

export const toolRouterNode = defineNode({
  type: 'tools.router',
  summary: 'Runs the tool calls a provider asks for and sends the results back',
  config,
  inputs: { calls: { kinds: ['tool-call'], required: true, summary: 'Tool calls from the provider' } },
  outputs: { results: { kinds: ['tool-result'], summary: 'One result per call, with the call id' } },
  check: (cfg, { baseDir }) => toolSourceProblems(cfg.tools, baseDir),
  async create(cfg, ctx) {
    const tools = await resolveToolSources(cfg.tools, ctx);
    ctx.offer('tools', tools.map(toolSpec));
    const executor = new ToolExecutor(tools, ctx, { defaultTimeoutMs: cfg.timeoutMs, sessionId: randomUUID() });
    return ({ calls }) => ({ results: routeCalls(calls, executor, cfg.concurrency, ctx.control) });
  },
});
