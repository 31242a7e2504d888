import { argumentsFromSchema } from '@beluga-voice/core';
import { type Item, type Json, textOf } from './items.js';
import { type MockReply, type MockScript, replyFor } from './script.js';
import type { SessionState, ToolChoice, ToolState } from './session-state.js';

export interface ReplySource {
  readonly session: SessionState;
  readonly items: readonly Item[];
  readonly script: () => MockScript;
  readonly nextResponseIndex: () => number;
}

/**
 * What a response says. A forced `tool_choice` calls that function (unless answering its output);
 * otherwise the script speaks, and a scripted call without arguments gets them from the tool's schema.
 */
export function chooseReply(source: ReplySource, overrides: Json): MockReply {
  const { session } = source;
  const tools = Array.isArray(overrides.tools) ? (overrides.tools as ToolState[]) : session.tools;
  const choice = (overrides.tool_choice as ToolChoice | undefined) ?? session.toolChoice;
  const last = source.items.at(-1);
  const answeringTool = last?.type === 'function_call_output';
  if (!answeringTool && tools.length > 0) {
    const forced =
      choice === 'required'
        ? tools[0]
        : typeof choice === 'object' && choice.type === 'function'
          ? tools.find((t) => t.name === choice.name)
          : undefined;
    if (forced) return { functionCall: { name: forced.name, arguments: argumentsFromSchema(forced.parameters ?? {}) } };
  }
  const reply = replyFor(source.script(), {
    responseIndex: source.nextResponseIndex(),
    lastItem: last ? { type: last.type, role: last.role, text: textOf(last) } : undefined,
  });
  if (reply.functionCall && reply.functionCall.arguments === undefined) {
    const tool = tools.find((t) => t.name === reply.functionCall?.name);
    return {
      ...reply,
      functionCall: { name: reply.functionCall.name, arguments: argumentsFromSchema(tool?.parameters ?? {}) },
    };
  }
  return reply;
}
