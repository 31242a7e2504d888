import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { type Logger, registerSecret } from '@beluga-voice/core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Tool as McpToolDescription } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { type McpCallResult, mcpResultText } from './mcp-content.js';
import { makeTool, type Tool } from './tool.js';

export interface McpServerSource {
  readonly command: string;
  readonly args?: readonly string[];
  /** Added to the SDK's safe default environment (PATH, HOME, …), never the whole parent environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** Working directory, relative to the pipeline's folder (default: that folder). */
  readonly cwd?: string;
  /** Prepended to every tool name, to keep two servers' tools apart. */
  readonly prefix?: string;
  readonly timeoutMs?: number;
  readonly cancelOnInterrupt?: boolean;
  /** Time allowed to start the server and list its tools. */
  readonly startTimeoutMs?: number;
}

export interface McpServerConnection {
  readonly label: string;
  readonly tools: readonly Tool[];
  /** The server's process id, while it runs. */
  readonly pid: number | null;
  /** Stops the server process; idempotent. */
  close(): Promise<void>;
}

export interface McpConnectOptions {
  readonly baseDir: string;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /** Called when the server exits while the pipeline still uses it. */
  readonly onUnexpectedExit: (label: string) => void;
}

/** The router owns call timeouts (it aborts the signal); this only lifts the SDK's own 60 s request limit. */
const SDK_REQUEST_TIMEOUT_MS = 24 * 60 * 60 * 1000;
const DEFAULT_START_TIMEOUT_MS = 10_000;
/** Environment variables whose values must never reach a log or an event. */
const SECRET_VARIABLE = /key|token|secret|password|credential/i;

/** Starts an MCP server over stdio, lists its tools and wraps each as a router tool. */
export async function connectMcpServer(
  source: McpServerSource,
  options: McpConnectOptions,
): Promise<McpServerConnection> {
  const label = [source.command, ...(source.args ?? [])].join(' ');
  for (const [name, value] of Object.entries(source.env ?? {})) if (SECRET_VARIABLE.test(name)) registerSecret(value);
  const transport = new StdioClientTransport({
    command: source.command,
    args: [...(source.args ?? [])],
    env: source.env ? { ...source.env } : undefined,
    cwd: resolve(options.baseDir, source.cwd ?? '.'),
    stderr: 'pipe',
  });
  forwardStderr(transport.stderr as Readable | null, label, options.logger);
  const client = new Client({ name: 'beluga-voice-tools-router', version: '0.1.0' });
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= client.close());
  client.onclose = () => {
    if (!closing) options.onUnexpectedExit(label);
  };
  const request = { signal: options.signal, timeout: source.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS };
  try {
    await client.connect(transport, request);
    const described: McpToolDescription[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor === undefined ? undefined : { cursor }, request);
      described.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    const tools = described.map((tool) => wrapTool(client, tool, source));
    return {
      label,
      tools,
      get pid() {
        return transport.pid;
      },
      close,
    };
  } catch (error) {
    await close();
    throw new Error(`cannot start MCP server "${label}": ${error instanceof Error ? error.message : String(error)}`);
  }
}

function wrapTool(client: Client, tool: McpToolDescription, source: McpServerSource): Tool<Record<string, unknown>> {
  const { $schema: _dialect, ...jsonSchema } = tool.inputSchema as Record<string, unknown>;
  return makeTool({
    // Providers accept a narrower alphabet than MCP; the server is still called by its own name.
    name: `${source.prefix ?? ''}${tool.name}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64),
    description: tool.description ?? tool.title ?? '',
    // The server validates against its own schema; the router only checks for an object.
    parameters: z.looseObject({}),
    jsonSchema,
    timeoutMs: source.timeoutMs,
    cancelOnInterrupt: source.cancelOnInterrupt ?? false,
    recordArguments: false,
    execute: async (args, ctx) => {
      const result = (await client.callTool({ name: tool.name, arguments: args }, undefined, {
        signal: ctx.signal,
        timeout: SDK_REQUEST_TIMEOUT_MS,
      })) as McpCallResult;
      const text = mcpResultText(result);
      if ('isError' in result && result.isError) throw new Error(text);
      return text;
    },
  });
}

function forwardStderr(stream: Readable | null, label: string, logger: Logger): void {
  if (!stream) return;
  createInterface({ input: stream }).on('line', (line) => logger.debug(`MCP server "${label}": ${line}`));
}
