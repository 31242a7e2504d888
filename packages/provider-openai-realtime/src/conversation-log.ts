import type { HistoryItem } from '@beluga-voice/core';

interface Entry {
  /** Server item id, when the entry mirrors one (to fill in transcripts later). */
  readonly itemId?: string;
  item: HistoryItem | undefined;
  /** Share of the text that was heard, when playback was cut before the transcript arrived. */
  heard?: number;
  /** A user turn given as audio: replayed as audio until its transcript arrives (if it ever does). */
  readonly user?: boolean;
  audio?: Uint8Array;
}

/** What a new socket is given: history items, and user turns known only by their audio. */
export type ReplayItem = HistoryItem | { readonly type: 'user-audio'; readonly audio: Uint8Array };

export interface ReplayPlan {
  readonly items: ReplayItem[];
  /** User turns with neither a transcript nor kept audio: the new socket will not know them. */
  readonly lostUserTurns: number;
}

/** How much user audio is kept for replay: the last turns only, within a total size. */
export interface AudioRetention {
  readonly turns: number;
  readonly bytes: number;
}

/**
 * The conversation so far as text, in server order: what a new socket replays after a
 * reconnection. Audio items get a slot when the server adds them and their text when the
 * transcript arrives (user transcription is asynchronous and may trail the reply).
 */
export class ConversationLog {
  private readonly entries: Entry[];

  constructor(
    initial: readonly HistoryItem[] = [],
    private readonly retention: AudioRetention = { turns: 0, bytes: 0 },
  ) {
    this.entries = initial.map((item) => ({ item }));
  }

  add(item: HistoryItem, itemId?: string): void {
    this.entries.push({ item, itemId });
  }

  /** Reserves the place of a server item whose text is not known yet. */
  reserve(itemId: string): void {
    if (!this.entries.some((e) => e.itemId === itemId)) this.entries.push({ itemId, item: undefined });
  }

  /** Reserves the place of a user turn, with its audio for replay until the transcript comes. */
  reserveUserTurn(itemId: string, audio: Uint8Array | undefined): void {
    const existing = this.entries.find((e) => e.itemId === itemId);
    if (existing) return;
    this.entries.push({ itemId, item: undefined, user: true, ...(audio?.byteLength ? { audio } : {}) });
    this.trimAudio();
  }

  setText(itemId: string, role: 'user' | 'assistant', text: string): void {
    const entry = this.entries.find((e) => e.itemId === itemId);
    const item: HistoryItem = { type: 'message', role, text };
    if (!entry) {
      this.entries.push({ itemId, item });
      return;
    }
    entry.item = entry.heard === undefined ? item : heardPart(item, entry.heard);
    entry.audio = undefined;
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

  /** The history as text where known, user turns as audio where only that is kept. */
  replay(): ReplayPlan {
    const items: ReplayItem[] = [];
    let lostUserTurns = 0;
    for (const entry of this.entries) {
      if (entry.item) items.push(entry.item);
      else if (entry.audio) items.push({ type: 'user-audio', audio: entry.audio });
      else if (entry.user) lostUserTurns++;
    }
    return { items, lostUserTurns };
  }

  /** Keeps the audio of the newest user turns only, within the retention limits. */
  private trimAudio(): void {
    let turns = 0;
    let bytes = 0;
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i] as Entry;
      if (!entry.audio) continue;
      if (turns < this.retention.turns && bytes + entry.audio.byteLength <= this.retention.bytes) {
        turns++;
        bytes += entry.audio.byteLength;
      } else {
        entry.audio = undefined;
      }
    }
  }
}

function heardPart(item: Extract<HistoryItem, { type: 'message' }>, fraction: number): HistoryItem | undefined {
  const words = item.text.split(/\s+/).filter(Boolean);
  const kept = words.slice(0, Math.floor(words.length * fraction));
  return kept.length === 0 ? undefined : { ...item, text: kept.join(' ') };
}
