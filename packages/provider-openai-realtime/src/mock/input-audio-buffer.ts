import { decodeBase64Audio } from '../base64.js';
import { bytesPerMs, decodeToPcm16, sampleRateOf } from './audio.js';
import type { ConnectionContext } from './connection-context.js';
import { EnergyVad, type VadEvent, type VadSettings } from './energy-vad.js';
import { newId } from './ids.js';
import { type Item, type Json, words } from './items.js';
import { userTranscriptFor } from './script.js';
import type { TurnDetectionState } from './session-state.js';

const MIN_COMMIT_MS = 100;

/** The input audio buffer (§7.2 steps 1–5): appends, the server VAD that listens to them, commits, clears. */
export class InputAudioBuffer {
  private readonly vad: EnergyVad;
  private bytes = 0;
  private speechItemId: string | undefined;

  constructor(private readonly ctx: ConnectionContext) {
    this.vad = new EnergyVad(vadSettings(ctx.session.turnDetection), sampleRateOf(ctx.session.inputFormat));
  }

  /** Where the VAD is in the audio appended so far. */
  get positionMs(): number {
    return this.vad.positionMs;
  }

  /** True between `speech_started` and `speech_stopped`. */
  get inSpeech(): boolean {
    return this.speechItemId !== undefined;
  }

  /** After a `session.update`: the turn detection and input format may have changed. */
  reconfigure(): void {
    this.vad.configure(vadSettings(this.ctx.session.turnDetection), sampleRateOf(this.ctx.session.inputFormat));
  }

  /** `input_audio_buffer.append`: returns what the server VAD heard in it (nothing without turn detection). */
  append(event: Json, eventId: string | null): VadEvent[] {
    const bytes = decodeBase64Audio(event.audio);
    if (!bytes) {
      this.ctx.events.error(
        'invalid_value',
        "Invalid 'audio'. Expected base64-encoded audio bytes (mono PCM16 at 24kHz) but got a value that is not valid base64.",
        { eventId, param: 'audio' },
      );
      return [];
    }
    this.bytes += bytes.byteLength;
    if (!this.ctx.session.turnDetection) return [];
    return this.vad.push(decodeToPcm16(this.ctx.session.inputFormat, bytes));
  }

  /** The VAD heard speech begin: the item the turn will become is named now. */
  speechStarted(audioStartMs: number): void {
    this.speechItemId = newId('item');
    this.ctx.events.send({
      type: 'input_audio_buffer.speech_started',
      audio_start_ms: audioStartMs,
      item_id: this.speechItemId,
    });
  }

  /** The VAD heard speech end: the buffer is committed as the turn's item. */
  speechStopped(audioEndMs: number): void {
    const itemId = this.speechItemId ?? newId('item');
    this.speechItemId = undefined;
    this.ctx.events.send({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: audioEndMs, item_id: itemId });
    this.commit(itemId);
  }

  /** `input_audio_buffer.commit`: refused below 100 ms of audio, as the service does. */
  commitByClient(eventId: string | null): void {
    const ms = this.bytes / bytesPerMs(this.ctx.session.inputFormat);
    if (ms < MIN_COMMIT_MS) {
      this.ctx.events.error(
        'input_audio_buffer_commit_empty',
        `Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has ${ms.toFixed(2)}ms of audio.`,
        { eventId },
      );
      return;
    }
    this.commit(newId('item'));
  }

  /** `input_audio_buffer.clear`. */
  clear(): void {
    this.bytes = 0;
    this.vad.reset();
    this.speechItemId = undefined;
    this.ctx.events.send({ type: 'input_audio_buffer.cleared' });
  }

  /** The buffer becomes a user audio item (§7.2 steps 3–5), transcribed asynchronously. */
  commit(itemId: string): void {
    const { events, conversation, session } = this.ctx;
    const audioMs = this.bytes / bytesPerMs(session.inputFormat);
    this.bytes = 0;
    events.send({
      type: 'input_audio_buffer.committed',
      item_id: itemId,
      previous_item_id: conversation.lastItemId(),
    });
    const item: Item = {
      id: itemId,
      type: 'message',
      role: 'user',
      status: 'completed',
      content: [{ type: 'input_audio', transcript: null }],
      audioBytes: 0,
    };
    conversation.append(item);
    if (session.transcription) this.transcribe(item, audioMs);
  }

  /** The script's transcript of the turn, word by word, after the item's events. */
  private transcribe(item: Item, audioMs: number): void {
    const { events } = this.ctx;
    const transcript = userTranscriptFor(this.ctx.script(), item.id, audioMs);
    this.ctx.timers.soon(() => {
      for (const delta of words(transcript)) {
        events.send({
          type: 'conversation.item.input_audio_transcription.delta',
          item_id: item.id,
          content_index: 0,
          delta,
        });
      }
      item.content = [{ type: 'input_audio', transcript }];
      events.send({
        type: 'conversation.item.input_audio_transcription.completed',
        item_id: item.id,
        content_index: 0,
        transcript,
        usage: { type: 'duration', seconds: Math.round(audioMs) / 1000 },
      });
    });
  }
}

/** The VAD settings a session's turn detection asks for; semantic VAD's eagerness sets the silence it waits. */
function vadSettings(td: TurnDetectionState | null): VadSettings {
  if (td?.type === 'server_vad')
    return {
      threshold: td.threshold,
      prefixPaddingMs: td.prefix_padding_ms,
      silenceDurationMs: td.silence_duration_ms,
    };
  const silence = td?.eagerness === 'high' ? 250 : td?.eagerness === 'low' ? 800 : 500;
  return { threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: silence };
}
