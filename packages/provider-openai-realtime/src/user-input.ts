import { type AudioFormat, bytesToMs } from '@beluga-voice/core';
import { AudioChunker } from './audio-chunker.js';
import { TurnAudio } from './turn-audio.js';
import type { ClientEvent } from './wire/client-events.js';

const WHO = 'provider.openai-realtime';
/** A manual commit needs at least this much audio (`input_audio_buffer_commit_empty`). */
const MIN_COMMIT_MS = 100;
/** User audio held for the open turn across a reconnection (beyond it the oldest is dropped, loudly). */
const HELD_AUDIO_MS = 10_000;

/** What the user input needs from the session. */
export interface UserInputHost {
  /** A socket with a set-up session is there to take input. */
  connected(): boolean;
  closed(): boolean;
  send(event: ClientEvent): void;
  /** Sends an `input_audio_buffer.append` of these bytes. */
  sendAppend(audio: Uint8Array): void;
  warn(code: string, message: string): void;
  debug(message: string): void;
  /** A turn was committed by this client: a reply is wanted. */
  committed(): void;
}

/**
 * The user's audio on its way into the server's input buffer: regrouped into appends, committed
 * per turn with manual turn detection, and across a reconnection held (bounded) and re-sent so
 * that the turn arrives whole on the new socket.
 */
export class UserInput {
  private readonly chunker: AudioChunker;
  /** The open turn's audio, re-sent after a reconnection. */
  private readonly turn: TurnAudio;
  /** Audio of turns committed by this client, until the server names their items. */
  private committedTurns: Uint8Array[] = [];
  /** Bytes appended on the current socket since its last commit. */
  private uncommittedBytes = 0;
  private drainScheduled = false;
  /** The turn ended while there was no socket: commit once it is re-sent. */
  private commitWanted = false;
  private heldDroppedMs = 0;

  constructor(
    private readonly format: AudioFormat,
    private readonly host: UserInputHost,
    /** Shortest append (see `appendMinMs`): 20 ms with the server's VAD, 100 ms when this client commits. */
    minAppendMs = 20,
  ) {
    this.chunker = new AudioChunker(format, minAppendMs);
    this.turn = new TurnAudio(format, HELD_AUDIO_MS);
  }

  push(bytes: Uint8Array): void {
    for (const chunk of this.chunker.push(bytes)) this.append(chunk);
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    // Frames handed over in one go (a file, a burst after a stall) leave as few large appends.
    queueMicrotask(() => {
      this.drainScheduled = false;
      const rest = this.host.closed() ? undefined : this.chunker.drain();
      if (rest) this.append(rest);
    });
  }

  /** The user stopped speaking (manual turn detection): commit the turn now, or once reconnected. */
  endTurn(): void {
    if (this.host.connected()) this.commit();
    else this.commitWanted = true;
  }

  /** The server committed its input buffer: the turn's audio leaves, to be kept for replay. */
  committed(): Uint8Array {
    this.uncommittedBytes = 0;
    return this.committedTurns.shift() ?? this.turn.take();
  }

  /** The socket went away with its input buffer: the open turn has to go out again. */
  lost(): void {
    this.turn.unsend();
    this.committedTurns = [];
    this.uncommittedBytes = 0;
  }

  /** A new socket is ready: the open turn's audio, then the commit asked for meanwhile. */
  resume(): void {
    for (const chunk of this.turn.takeUnsent()) this.sendAppend(chunk);
    const dropped = Math.round(this.heldDroppedMs);
    this.heldDroppedMs = 0;
    if (dropped > 0) {
      this.host.warn(
        'audio-dropped',
        `${WHO}: ${dropped} ms of user audio dropped during the reconnection (more than ${HELD_AUDIO_MS / 1000} s held)`,
      );
    }
    if (this.commitWanted) {
      this.commitWanted = false;
      this.commit();
    }
  }

  /** Sent when a socket is there, held for the next one otherwise; kept until committed. */
  private append(chunk: Uint8Array): void {
    const connected = this.host.connected();
    if (connected) this.sendAppend(chunk);
    const dropped = this.turn.push(chunk, connected);
    if (dropped === 0 || connected) return;
    if (this.heldDroppedMs === 0) {
      this.host.warn(
        'audio-dropped',
        `${WHO}: more than ${HELD_AUDIO_MS / 1000} s of user audio held while reconnecting; dropping the oldest`,
      );
    }
    this.heldDroppedMs += dropped;
  }

  private sendAppend(chunk: Uint8Array): void {
    this.uncommittedBytes += chunk.byteLength;
    this.host.sendAppend(chunk);
  }

  private commit(): void {
    const rest = this.chunker.flush();
    if (rest) this.append(rest);
    const ms = bytesToMs(this.format, this.uncommittedBytes);
    if (ms < MIN_COMMIT_MS) {
      this.host.debug(`turn too short to commit (${Math.round(ms)} ms)`);
      return;
    }
    this.host.send({ type: 'input_audio_buffer.commit' });
    this.committedTurns.push(this.turn.take());
    this.uncommittedBytes = 0;
    this.host.committed();
  }
}
