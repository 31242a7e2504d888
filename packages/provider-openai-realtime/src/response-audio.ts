import { type AudioFormat, bytesToMs } from '@beluga-voice/core';

interface AudioItem {
  readonly itemId: string;
  readonly contentIndex: number;
  bytes: number;
}

/** How to make the server's conversation match what the user heard. */
export interface CutPlan {
  /** What was heard, clamped to the audio received (whole ms, >= 0). */
  readonly playedMs: number;
  /** The item playback stopped inside: truncate it there. */
  readonly truncate?: {
    readonly itemId: string;
    readonly contentIndex: number;
    readonly audioEndMs: number;
    readonly fraction: number;
  };
  /** Items of which nothing was heard: delete them (truncating at 0 is refused, pitfall 4). */
  readonly remove: readonly string[];
}

/**
 * The audio one response delivered, per item, counted from decoded bytes rather than wall
 * clock (pitfall 2: wall-clock truncation overshoots and the server refuses it).
 */
export class ResponseAudio {
  private readonly items: AudioItem[] = [];
  interrupted = false;

  constructor(
    readonly responseId: string,
    private readonly format: AudioFormat,
  ) {}

  add(itemId: string, contentIndex: number, bytes: number): void {
    const last = this.items.at(-1);
    if (last && last.itemId === itemId) last.bytes += bytes;
    else this.items.push({ itemId, contentIndex, bytes });
  }

  private itemMs(item: AudioItem): number {
    return Math.floor(bytesToMs(this.format, item.bytes));
  }

  /** Whole milliseconds received, summed per item. */
  get receivedMs(): number {
    return this.items.reduce((sum, item) => sum + this.itemMs(item), 0);
  }

  /**
   * `generating`: the server is still producing this response, so audio beyond what was received
   * exists server-side; a fully heard last item is then truncated at its received length too.
   */
  cutAt(playedMs: number | undefined, generating: boolean): CutPlan {
    const total = this.receivedMs;
    const played = Math.min(total, Math.max(0, Math.floor(playedMs ?? total)));
    let remaining = played;
    let truncate: CutPlan['truncate'];
    const remove: string[] = [];
    for (const item of this.items) {
      const length = this.itemMs(item);
      if (remaining <= 0) remove.push(item.itemId);
      else if (remaining < length) {
        truncate = {
          itemId: item.itemId,
          contentIndex: item.contentIndex,
          audioEndMs: remaining,
          fraction: remaining / length,
        };
        remaining = 0;
      } else remaining -= length;
    }
    const last = this.items.at(-1);
    if (!truncate && generating && played > 0 && last && !remove.includes(last.itemId)) {
      truncate = { itemId: last.itemId, contentIndex: last.contentIndex, audioEndMs: this.itemMs(last), fraction: 1 };
    }
    return { playedMs: played, truncate, remove };
  }
}
