import { type BusEmission, redact, type ToolCallFrame } from '@beluga-voice/core';
import type { z } from 'zod';
import { shownName } from './shown-name.js';

export type CallStatus =
  | 'ok'
  | 'unknown-tool'
  | 'invalid-json'
  | 'invalid-arguments'
  | 'failed'
  | 'timeout'
  | 'cancelled';

/** How a call ended: the text the model reads, and what the bus hears about a failure. */
export interface CallOutcome {
  readonly status: CallStatus;
  readonly output: string;
  readonly event?: BusEmission;
}

const messageOf = (error: unknown) => redact(error instanceof Error ? error.message : String(error));

export function succeeded(call: ToolCallFrame, value: unknown): CallOutcome {
  if (typeof value === 'string') return { status: 'ok', output: value };
  if (value === undefined) return { status: 'ok', output: 'done' };
  let output: string | undefined;
  try {
    output = JSON.stringify(value);
  } catch (error) {
    return failed(call, new Error(`its result cannot be sent as JSON (${messageOf(error)})`));
  }
  return output === undefined ? failed(call, new Error('its result cannot be sent as JSON')) : { status: 'ok', output };
}

export function unknownTool(call: ToolCallFrame, available: readonly string[]): CallOutcome {
  const name = shownName(call.name);
  return {
    status: 'unknown-tool',
    output: `Error: unknown tool "${name}". Available tools: ${available.join(', ')}.`,
    event: {
      type: 'warning',
      code: 'tool-unknown',
      message: `call ${shownName(call.id)} asks for unknown tool "${name}" (available: ${available.join(', ')})`,
    },
  };
}

export function invalidJson(call: ToolCallFrame, error: unknown): CallOutcome {
  return {
    status: 'invalid-json',
    output: `Error: the arguments for tool "${call.name}" are not valid JSON. Send a JSON object that matches the tool's parameters.`,
    event: {
      type: 'warning',
      code: 'tool-invalid-json',
      message: `call ${shownName(call.id)} to "${call.name}": arguments are not valid JSON (${messageOf(error)})`,
    },
  };
}

export function invalidArguments(call: ToolCallFrame, issues: readonly z.core.$ZodIssue[]): CallOutcome {
  const detail = issues
    .map((i) => (i.path.length > 0 ? `${i.path.map(String).join('.')}: ` : '') + i.message)
    .join('; ');
  return {
    status: 'invalid-arguments',
    output: `Error: invalid arguments for tool "${call.name}": ${detail}`,
    event: {
      type: 'warning',
      code: 'tool-invalid-arguments',
      message: `call ${shownName(call.id)} to "${call.name}": invalid arguments: ${detail}`,
    },
  };
}

export function failed(call: ToolCallFrame, error: unknown): CallOutcome {
  const message = messageOf(error);
  return {
    status: 'failed',
    output: `Error: tool "${call.name}" failed: ${message}`,
    event: {
      type: 'error',
      code: 'tool-failed',
      message: `call ${shownName(call.id)} to "${call.name}" failed: ${message}`,
      fatal: false,
    },
  };
}

export function timedOut(call: ToolCallFrame, timeoutMs: number): CallOutcome {
  return {
    status: 'timeout',
    output: `Error: tool "${call.name}" timed out after ${timeoutMs} ms`,
    event: {
      type: 'error',
      code: 'tool-timeout',
      message: `call ${shownName(call.id)} to "${call.name}" timed out after ${timeoutMs} ms`,
      fatal: false,
    },
  };
}

export function cancelled(call: ToolCallFrame, cause: 'interrupt' | 'close' | 'provider'): CallOutcome {
  const because =
    cause === 'interrupt'
      ? 'the user interrupted'
      : cause === 'provider'
        ? 'the provider cancelled the call'
        : 'the pipeline closed';
  return {
    status: 'cancelled',
    output: `Cancelled: tool "${call.name}" was stopped because ${because}`,
    event: {
      type: 'warning',
      code: 'tool-cancelled',
      message: `call ${shownName(call.id)} to "${call.name}" was cancelled: ${because}`,
    },
  };
}
