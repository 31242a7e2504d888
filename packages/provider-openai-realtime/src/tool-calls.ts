import { endSpan, type HistoryItem, S2SError, type S2SEvent } from '@beluga-voice/core';
import type { Span } from '@opentelemetry/api';
import type { ConversationLog } from './conversation-log.js';
import type { RealtimeTelemetry } from './telemetry.js';

const WHO = 'provider.openai-realtime';

interface ToolCall {
  readonly name: string;
  readonly responseId: string;
  readonly span: Span;
  answered: boolean;
}

/** What the tool calls need from the session. */
export interface ToolCallsHost {
  readonly telemetry: RealtimeTelemetry;
  readonly log: ConversationLog;
  emit(event: S2SEvent): void;
  warn(message: string): void;
}

/**
 * The function calls the server made and their results: one `tool-call` event per call id,
 * each answered once, and the calls of the latest calling response hold its follow-up back
 * until every one of them is answered.
 */
export class ToolCalls {
  private readonly calls = new Map<string, ToolCall>();
  /** Names from `response.output_item.added`, for argument events that leave the name out. */
  private readonly names = new Map<string, string>();
  private lastResponseId: string | undefined;

  constructor(private readonly host: ToolCallsHost) {}

  /** The server added a function call item: its name is known from here on. */
  named(callId: string, name: string): void {
    this.names.set(callId, name);
  }

  /** The arguments of a call are complete; `responseSpan` is its response's span, if still active. */
  received(callId: string, name: string | undefined, args: string, responseId: string, responseSpan?: Span): void {
    const known = name ?? this.names.get(callId);
    if (!known) {
      this.host.warn(`function call ${callId} without a name ignored`);
      return;
    }
    if (this.calls.has(callId)) return;
    this.calls.set(callId, {
      name: known,
      responseId,
      span: this.host.telemetry.toolSpan(callId, known, responseSpan),
      answered: false,
    });
    this.lastResponseId = responseId;
    this.host.log.add({ type: 'tool-call', id: callId, name: known, arguments: args });
    this.host.emit({ type: 'tool-call', id: callId, name: known, arguments: args, responseId });
  }

  /** Marks a call answered and logs its result; throws for an unknown or already answered id. */
  answer(result: { id: string; output: string; isError?: boolean }): HistoryItem {
    const call = this.calls.get(result.id);
    if (!call) throw new S2SError('unknown-tool-call', `${WHO}: no tool call with id "${result.id}" in this session`);
    if (call.answered) throw new S2SError('unknown-tool-call', `${WHO}: tool call "${result.id}" was already answered`);
    call.answered = true;
    endSpan(call.span, result.isError ? 'tool reported an error' : undefined);
    const item = { type: 'tool-result', id: result.id, output: result.output } as const;
    this.host.log.add(item);
    return item;
  }

  /** A call of the latest calling response is still unanswered: its follow-up must wait. */
  awaitingResults(): boolean {
    for (const call of this.calls.values()) {
      if (!call.answered && call.responseId === this.lastResponseId) return true;
    }
    return false;
  }

  /** The session closed: the spans of unanswered calls end. */
  abandon(reason: string): void {
    for (const call of this.calls.values()) if (!call.answered) endSpan(call.span, reason);
  }
}
