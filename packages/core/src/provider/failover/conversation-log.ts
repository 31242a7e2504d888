import type { HistoryItem, S2SEvent } from '../s2s.js';

/**
 * The conversation so far as text, built from a session's events and the client's own messages:
 * what the next provider is given as history when the failover switches.
 */
export class FailoverConversationLog {
  private readonly items: HistoryItem[];

  constructor(history: readonly HistoryItem[] = []) {
    this.items = [...history];
  }

  /** Final transcripts and tool calls; the rest of a session's events carries no history. */
  observe(event: S2SEvent): void {
    if (event.type === 'transcript' && event.final && event.text.trim())
      this.items.push({ type: 'message', role: event.role, text: event.text });
    else if (event.type === 'tool-call')
      this.items.push({ type: 'tool-call', id: event.id, name: event.name, arguments: event.arguments });
  }

  add(item: HistoryItem): void {
    this.items.push(item);
  }

  snapshot(): readonly HistoryItem[] {
    return [...this.items];
  }
}
