import { didYouMean, type NodeContext } from '@beluga-voice/core';
import { BUILTIN_TOOL_NAMES, type BuiltinToolName, builtinTools } from './builtins/index.js';
import { connectMcpServer, type McpServerSource } from './mcp-tools.js';
import { loadModuleTools, type ModuleToolSource } from './module-tools.js';
import type { Tool } from './tool.js';

/** Where a router's tools come from: built-in names, modules, MCP servers or tool objects. */
export type ToolSource =
  | BuiltinToolName
  | { readonly builtin: BuiltinToolName }
  | ModuleToolSource
  | { readonly mcp: McpServerSource }
  | Tool;

/**
 * The config error for an entry that matches no source form, pointing at the likely fix; undefined
 * leaves the detailed message of the one form the entry resembles (e.g. a typo inside `mcp`).
 */
export function invalidSourceMessage(input: unknown): string | undefined {
  const name = typeof input === 'string' ? input : (input as { builtin?: unknown } | null)?.builtin;
  if (typeof name === 'string') {
    const hint = didYouMean(name, BUILTIN_TOOL_NAMES);
    return `unknown built-in tool "${name}"${hint ? `, ${hint}` : ''} (built-ins: ${BUILTIN_TOOL_NAMES.join(', ')})`;
  }
  if (input !== null && typeof input === 'object' && ('module' in input || 'mcp' in input)) return undefined;
  return 'expected a built-in tool name, { builtin }, { module, export }, { mcp: { command, args } } or a tool made with defineTool';
}

interface LoadedTools {
  readonly origin: string;
  readonly tools: readonly Tool[];
  readonly close?: () => Promise<void>;
}

/**
 * Loads every source (MCP servers start in parallel). Servers are stopped when the node closes,
 * or at once when another source fails to load.
 */
export async function resolveToolSources(sources: readonly ToolSource[], ctx: NodeContext): Promise<Tool[]> {
  const settled = await Promise.allSettled(sources.map((source) => load(source, ctx)));
  const loaded = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  for (const { close } of loaded) if (close) ctx.onClose(close);
  try {
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    return uniqueTools(loaded);
  } catch (error) {
    await Promise.all(loaded.map(({ close }) => close?.()));
    throw new Error(`tools.router "${ctx.id}": ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function load(source: ToolSource, ctx: NodeContext): Promise<LoadedTools> {
  if (typeof source === 'string') return { origin: `builtin ${source}`, tools: [builtinTools[source]] };
  if ('kind' in source) return { origin: 'code', tools: [source] };
  if ('builtin' in source) return { origin: `builtin ${source.builtin}`, tools: [builtinTools[source.builtin]] };
  if ('module' in source) {
    return { origin: `module ${source.module}`, tools: await loadModuleTools(source, ctx.baseDir) };
  }
  const server = await connectMcpServer(source.mcp, {
    baseDir: ctx.baseDir,
    logger: ctx.logger,
    signal: ctx.signal,
    onUnexpectedExit: (label) =>
      ctx.emit({
        type: 'error',
        code: 'mcp-server-exited',
        message: `MCP server "${label}" exited; its tools fail until the pipeline restarts`,
        fatal: false,
      }),
  });
  ctx.logger.info(`MCP server "${server.label}" started with ${server.tools.length} tools`);
  return { origin: `MCP server "${server.label}"`, tools: server.tools, close: server.close };
}

function uniqueTools(loaded: readonly LoadedTools[]): Tool[] {
  const origins = new Map<string, string>();
  const tools: Tool[] = [];
  for (const { origin, tools: group } of loaded) {
    for (const tool of group) {
      const first = origins.get(tool.name);
      if (first !== undefined) {
        throw new Error(
          `two tools are named "${tool.name}" (${first} and ${origin}); remove one, or give an MCP server a prefix`,
        );
      }
      origins.set(tool.name, origin);
      tools.push(tool);
    }
  }
  return tools;
}
