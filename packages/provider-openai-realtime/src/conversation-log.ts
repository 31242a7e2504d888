import type { HistoryItem } from '@beluga-voice/core';

interface Entry {
  /** Server item id, when the entry mirrors one (to fill in transcripts later). */
  readonly itemId?: string;
  item: HistoryItem | undefined;
  /** Share of the text that was heard, when playback was cut before the transcript arrived. */
  heard?: number;
}

/**
 * The conversation so far as text, in server order: what a new socket replays after a
 * reconnection. Audio items get a slot when the server adds them and their text when the
 * transcript arrives (user transcription is asynchronous and may trail the reply).
 */
export class ConversationLog {
  private readonly entries: Entry[];

  constructor(initial: readonly HistoryItem[] = []) {
    this.entries = initial.map((item) => ({ item }));
  }

  add(item: HistoryItem, itemId?: string): void {
    this.entries.push({ item, itemId });
  }

  /** Reserves the place of a server item whose text is not known yet. */
  reserve(itemId: string): void {
    if (!this.entries.some((e) => e.itemId === itemId)) this.entries.push({ itemId, item: undefined });
  }

  setText(itemId: string, role: 'user' | 'assistant', text: string): void {
    const entry = this.entries.find((e) => e.itemId === itemId);
    const item: HistoryItem = { type: 'message', role, text };
    if (!entry) {
      this.entries.push({ itemId, item });
      return;
    }
    entry.item = entry.heard === undefined ? item : heardPart(item, entry.heard);
  }

  /** Keeps the share of an assistant message that was heard (the server cuts its transcript too). */
  cut(itemId: string, fraction: number): void {
    const entry = this.entries.find((e) => e.itemId === itemId);
    if (!entry) return;
    entry.heard = Math.min(1, Math.max(0, fraction));
    if (entry.item?.type === 'message') entry.item = heardPart(entry.item, entry.heard);
  }

  /** Nothing of the item was heard: it leaves the history, even if its transcript comes later. */
  remove(itemId: string): void {
    this.cut(itemId, 0);
  }

  snapshot(): HistoryItem[] {
    return this.entries.flatMap((e) => (e.item ? [e.item] : []));
  }
}

function heardPart(item: Extract<HistoryItem, { type: 'message' }>, fraction: number): HistoryItem | undefined {
  const words = item.text.split(/\s+/).filter(Boolean);
  const kept = words.slice(0, Math.floor(words.length * fraction));
  return kept.length === 0 ? undefined : { ...item, text: kept.join(' ') };
}
