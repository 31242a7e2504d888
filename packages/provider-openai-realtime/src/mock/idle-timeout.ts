import { bytesPerMs } from './audio.js';
import type { ConnectionContext } from './connection-context.js';
import { newId } from './ids.js';
import type { InputAudioBuffer } from './input-audio-buffer.js';
import type { ResponseRun } from './items.js';

/**
 * GA `idle_timeout_ms`: once the reply has finished playing (response.done plus its audio
 * length), silence that lasts the timeout makes the server commit and answer by itself.
 */
export class IdleTimeout {
  private cancel: (() => void) | undefined;

  constructor(
    private readonly ctx: ConnectionContext,
    private readonly buffer: InputAudioBuffer,
    private readonly responding: () => boolean,
    private readonly respond: () => void,
  ) {}

  /** Starts the wait after `run`, when the session's turn detection asks for one. */
  arm(run: ResponseRun): void {
    const { session } = this.ctx;
    const td = session.turnDetection;
    if (td?.type !== 'server_vad' || td.idle_timeout_ms === null || this.ctx.protocol !== 'ga') return;
    const playbackMs = run.output.reduce((ms, item) => ms + item.audioBytes / bytesPerMs(session.outputFormat), 0);
    this.clear();
    this.cancel = this.ctx.timers.later(playbackMs + td.idle_timeout_ms, () => {
      this.cancel = undefined;
      if (this.ctx.events.closed || this.responding() || this.buffer.inSpeech) return;
      const itemId = newId('item');
      const at = this.buffer.positionMs;
      this.ctx.events.send({
        type: 'input_audio_buffer.timeout_triggered',
        audio_start_ms: at,
        audio_end_ms: at,
        item_id: itemId,
      });
      this.buffer.commit(itemId);
      this.respond();
    });
  }

  clear(): void {
    this.cancel?.();
    this.cancel = undefined;
  }
}
