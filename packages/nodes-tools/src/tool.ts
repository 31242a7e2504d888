import type { ControlPlane, Logger, ToolSpec } from '@beluga-voice/core';
import { z } from 'zod';
import { parametersJsonSchema } from './json-schema.js';

/** What a tool receives besides its arguments. */
export interface ToolContext {
  /** Aborted on timeout, on interrupt (for `cancelOnInterrupt` tools) and when the pipeline closes. */
  readonly signal: AbortSignal;
  /** Identifies the conversation: the same for every call the router runs in one pipeline run. */
  readonly sessionId: string;
  /** The router's node id. */
  readonly nodeId: string;
  readonly callId: string;
  /** The provider response that asked for this call, when the provider says. */
  readonly responseId?: string;
  /** Logs to the pipeline bus, tagged with the tool name and call id. */
  readonly logger: Logger;
  /** The pipeline's control plane, e.g. to ask for `end-session`. */
  readonly control: ControlPlane;
  /** Pipeline clock in ms since the epoch (virtual in tests). */
  now(): number;
}

/** A tool the router can run. Build one with `defineTool`; the router recognises it by `kind`. */
export interface Tool<A = any> {
  readonly kind: 'beluga.tool';
  readonly name: string;
  readonly description: string;
  /** Validates the model's arguments; the parsed value is what `execute` receives. */
  readonly parameters: z.ZodType<A>;
  /** The JSON Schema object providers send to the model. */
  readonly jsonSchema: Readonly<Record<string, unknown>>;
  /** Overrides the router's `timeoutMs`. */
  readonly timeoutMs?: number;
  readonly cancelOnInterrupt: boolean;
  /** Record arguments and results on the `tool.execute` span (off by default: they may hold personal data). */
  readonly recordArguments: boolean;
  /** Returns the output: a string as is, anything else as JSON. Throw to report a failure to the model. */
  execute(args: A, ctx: ToolContext): unknown;
}

export interface ToolDefinition<P extends z.ZodType> {
  /** What the model calls it: letters, digits, `_` and `-`, at most 64 characters. */
  readonly name: string;
  /** Tells the model when and how to use the tool. */
  readonly description: string;
  /** A zod object schema; omitted for a tool without arguments. */
  readonly parameters?: P;
  readonly timeoutMs?: number;
  /** Abort in-flight calls when the user interrupts (barge-in). Default false. */
  readonly cancelOnInterrupt?: boolean;
  readonly recordArguments?: boolean;
  execute(args: z.output<P>, ctx: ToolContext): unknown;
}

const NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Declares a tool: its JSON Schema for providers comes from the zod `parameters`. */
export function defineTool<P extends z.ZodType = z.ZodObject<{}>>(definition: ToolDefinition<P>): Tool<z.output<P>> {
  const parameters = (definition.parameters ?? z.object({})) as P;
  return makeTool<z.output<P>>({
    name: definition.name,
    description: definition.description,
    parameters: parameters as z.ZodType<z.output<P>>,
    jsonSchema: parametersJsonSchema(definition.name, parameters),
    timeoutMs: definition.timeoutMs,
    cancelOnInterrupt: definition.cancelOnInterrupt ?? false,
    recordArguments: definition.recordArguments ?? false,
    execute: definition.execute,
  });
}

/** Builds a tool whose JSON Schema is given as is (MCP servers describe their tools in JSON Schema). */
export function makeTool<A>(fields: Omit<Tool<A>, 'kind'>): Tool<A> {
  if (!NAME_PATTERN.test(fields.name)) {
    throw new Error(`invalid tool name "${fields.name}": use letters, digits, "_" and "-" (at most 64 characters)`);
  }
  if (fields.timeoutMs !== undefined && !(fields.timeoutMs > 0)) {
    throw new Error(`tool "${fields.name}": timeoutMs must be a positive number of milliseconds`);
  }
  return Object.freeze({ kind: 'beluga.tool', ...fields });
}

export function isTool(value: unknown): value is Tool {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'beluga.tool';
}

/** What the provider lists for the model. */
export function toolSpec(tool: Tool): ToolSpec {
  return { name: tool.name, description: tool.description, parameters: tool.jsonSchema };
}
