import type { AudioFormat, AudioFrame } from '@beluga-voice/core';
import type { Observable } from 'rxjs';

export type CallProtocol = 'browser' | 'twilio';

/** How much of a response the caller has played. `final`: no more will be reported for it. */
export interface Playout {
  readonly responseId: string;
  readonly playedMs: number;
  readonly final: boolean;
}

/**
 * One live caller, as the transport nodes of its pipeline instance see it: the server creates it
 * for each connection and lends it to the run under the `call` service.
 */
export interface CallConnection {
  readonly protocol: CallProtocol;
  readonly id: string;
  /** The caller's audio as it arrives on the wire; completes when the caller hangs up. */
  readonly audio$: Observable<AudioFrame>;
  /** Played position of each response, as the caller reports it (browser reports, Twilio marks). */
  readonly playout$: Observable<Playout>;
  /** The format agent audio must have on the wire. */
  readonly outputFormat: AudioFormat;
  /** Sends agent audio; counted as dropped when the caller is not reading. */
  play(frame: AudioFrame): void;
  /** Generation of a response is over: its final playout comes once the caller has played it all. */
  responseDone(responseId: string): void;
  /** Barge-in: the caller drops what it has not played yet; returns the final position of the cut response. */
  clear(): Playout | undefined;
  /** A session event for the caller (transcripts, turn latency); only the browser shows them. */
  notify(event: Readonly<Record<string, unknown>>): void;
}

/** The key under which the server lends the connection to a run (`ctx.services.call`). */
export const CALL_SERVICE = 'call';
