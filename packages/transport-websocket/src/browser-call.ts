import { type AudioFormat, type AudioFrame, bytesToSamples } from '@beluga-voice/core';
import type { WebSocket } from 'ws';
import { parseBrowserMessage } from './browser-messages.js';
import type { Playout } from './call-connection.js';
import { CLOSE, type ConnectionLimits } from './connection-limits.js';
import { SocketCall } from './socket-call.js';

export interface BrowserFormats {
  /** What the client sends: pcm16 mono. */
  readonly input: AudioFormat;
  /** What the client plays: pcm16 mono. */
  readonly output: AudioFormat;
}

/**
 * A browser (or any client of the same wire format): binary messages are pcm16 little-endian mono
 * audio, text messages JSON control. The client reports what it has played of each response.
 */
export class BrowserCall extends SocketCall {
  readonly protocol = 'browser' as const;
  readonly outputFormat: AudioFormat;
  private announced: string | undefined;
  private receivedSamples = 0;

  constructor(
    id: string,
    ws: WebSocket,
    private readonly formats: BrowserFormats,
    limits: ConnectionLimits,
  ) {
    super(id, ws, limits);
    this.outputFormat = formats.output;
    this.notify({ type: 'session', id, input: formats.input, output: formats.output });
  }

  play(frame: AudioFrame): void {
    if (frame.responseId === undefined) return;
    if (this.announced !== frame.responseId) {
      this.announced = frame.responseId;
      this.notify({ type: 'response', responseId: frame.responseId });
    }
    const bytes = new Uint8Array(frame.samples.buffer, frame.samples.byteOffset, frame.samples.byteLength);
    if (this.channel.send(bytes, true))
      this.tracker.sent(frame.responseId, (frame.samples.length / frame.format.sampleRate) * 1000);
  }

  responseDone(responseId: string): void {
    this.notify({ type: 'response-done', responseId });
    this.tracker.done(responseId);
  }

  clear(): Playout | undefined {
    const cut = this.tracker.clear();
    this.notify({ type: 'clear', ...(cut ? { responseId: cut.responseId, playedMs: cut.playedMs } : {}) });
    this.announced = undefined;
    return cut;
  }

  notify(event: Readonly<Record<string, unknown>>): void {
    this.channel.send(JSON.stringify(event));
  }

  protected onBinary(data: Buffer): void {
    if (data.length % 2 !== 0) {
      this.channel.close(CLOSE.invalidPayload, `audio message of ${data.length} bytes: pcm16 needs an even length`);
      return;
    }
    // Copied into an aligned buffer: the pipeline keeps frames beyond this message's life.
    const samples = bytesToSamples('pcm16', data);
    const rate = this.formats.input.sampleRate;
    const frame: AudioFrame = {
      kind: 'audio',
      timestamp: (this.receivedSamples / rate) * 1000,
      format: this.formats.input,
      samples,
    };
    this.receivedSamples += samples.length;
    this.inbound.push(frame, (samples.length / rate) * 1000);
  }

  protected onText(text: string): void {
    const message = parseBrowserMessage(text);
    if ('error' in message) {
      this.channel.close(CLOSE.invalidPayload, message.error);
      return;
    }
    if (message.type === 'played') this.tracker.played(message.responseId, message.playedMs);
    else {
      this.inbound.end();
      this.channel.close(CLOSE.normal, 'caller hung up');
    }
  }
}
