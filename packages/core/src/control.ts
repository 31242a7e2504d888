import type { Observable } from 'rxjs';

/**
 * Out-of-band control. These events never wait behind queued frames: the runtime delivers them
 * synchronously, and an `interrupt` also flushes the queued audio on every link downstream of the
 * node that sent it.
 */
export type ControlEvent =
  /** Barge-in: stop assistant output now. */
  | { type: 'interrupt'; source: string; responseId?: string; reason?: string }
  /** Hold output without dropping it (a possible false interruption). */
  | { type: 'pause'; source: string; responseId?: string }
  | { type: 'resume'; source: string; responseId?: string }
  /** Playback position of a response, from the node that plays it out (the pacer or a sink). */
  | { type: 'playout'; source: string; responseId: string; playedMs: number; final?: boolean }
  /** Ask the pipeline to end after the current reply (e.g. the `end_session` tool). */
  | { type: 'end-session'; source: string; reason?: string }
  /** Stop these in-flight tool calls: the provider withdrew them (Gemini's `toolCallCancellation`). */
  | { type: 'cancel-tool-calls'; source: string; ids: readonly string[]; reason?: string };

export type ControlEventType = ControlEvent['type'];

export interface ControlPlane {
  /** Every control event in the pipeline, including this node's own. */
  readonly events$: Observable<ControlEvent>;
  /** Sends an event stamped with this node's id as `source`. */
  send(event: ControlEvent extends infer E ? (E extends ControlEvent ? Omit<E, 'source'> : never) : never): void;
}
