import type { AudioFrame } from '@beluga-voice/core';
import { Subject } from 'rxjs';
import type { WebSocket } from 'ws';
import type { Playout } from './call-connection.js';
import { CLOSE, type ConnectionLimits } from './connection-limits.js';
import { SocketCall } from './socket-call.js';
import { TWILIO_FORMAT } from './twilio-format.js';
import { decodeBase64, parseTwilioMessage, type TwilioStart } from './twilio-messages.js';

const BYTES_PER_MS = 8;
/** Marks go out after each stretch of this much reply audio (and after the first frame and the end of each response). */
const MARK_EVERY_MS = 100;

export interface TwilioCallInfo {
  readonly streamSid: string;
  readonly callSid: string;
  readonly parameters: Readonly<Record<string, string>>;
}

interface PendingMark {
  readonly responseId: string;
  readonly ms: number;
}

/**
 * A Twilio Media Streams call. Reply audio is followed by marks; the marks Twilio echoes back as it
 * plays them give the played position. A clear drops the marks still pending: Twilio echoes them
 * at once, and they mean "flushed", not "played".
 */
export class TwilioCall extends SocketCall {
  readonly protocol = 'twilio' as const;
  readonly outputFormat = TWILIO_FORMAT;
  readonly started: Promise<TwilioCallInfo>;
  readonly dtmf$ = new Subject<string>();
  private readonly marks = new Map<string, PendingMark>();
  private streamSid: string | undefined;
  private markCount = 0;
  private sinceMarkMs = 0;
  private lastSent: PendingMark | undefined;
  private receivedSamples = 0;
  private resolveStarted!: (info: TwilioCallInfo) => void;
  private rejectStarted!: (error: Error) => void;

  constructor(id: string, ws: WebSocket, limits: ConnectionLimits) {
    super(id, ws, limits);
    this.started = new Promise((resolve, reject) => {
      this.resolveStarted = resolve;
      this.rejectStarted = reject;
    });
    this.started.catch(() => undefined);
  }

  play(frame: AudioFrame): void {
    if (this.streamSid === undefined || frame.responseId === undefined) return;
    const payload = Buffer.from(frame.samples.buffer, frame.samples.byteOffset, frame.samples.byteLength);
    const media = `{"event":"media","streamSid":${JSON.stringify(this.streamSid)},"media":{"payload":"${payload.toString('base64')}"}}`;
    if (!this.channel.send(media, true)) return;
    const ms = frame.samples.length / BYTES_PER_MS;
    const first = this.lastSent?.responseId !== frame.responseId;
    const sentMs = this.tracker.sent(frame.responseId, ms);
    this.lastSent = { responseId: frame.responseId, ms: sentMs };
    this.sinceMarkMs += ms;
    // A mark right after the first frame dates the start of playback; then one every 100 ms.
    if (first || this.sinceMarkMs >= MARK_EVERY_MS) this.sendMark();
  }

  responseDone(responseId: string): void {
    if (this.lastSent?.responseId === responseId && this.sinceMarkMs > 0) this.sendMark();
    this.tracker.done(responseId);
  }

  clear(): Playout | undefined {
    if (this.streamSid !== undefined)
      this.channel.send(`{"event":"clear","streamSid":${JSON.stringify(this.streamSid)}}`);
    this.marks.clear();
    this.sinceMarkMs = 0;
    this.lastSent = undefined;
    return this.tracker.clear();
  }

  notify(): void {}

  private sendMark(): void {
    if (!this.lastSent || this.streamSid === undefined) return;
    const name = `m${++this.markCount}`;
    this.marks.set(name, this.lastSent);
    this.sinceMarkMs = 0;
    this.channel.send(`{"event":"mark","streamSid":${JSON.stringify(this.streamSid)},"mark":{"name":"${name}"}}`);
  }

  protected onBinary(): void {
    this.fail(CLOSE.unsupported, 'binary message: Twilio Media Streams sends JSON text');
  }

  protected onText(text: string): void {
    const message = parseTwilioMessage(text);
    if ('error' in message) {
      this.fail(CLOSE.invalidPayload, message.error);
      return;
    }
    switch (message.event) {
      case 'connected':
        return;
      case 'start':
        this.onStart(message);
        return;
      case 'media':
        this.onMedia(message.payload, message.track);
        return;
      case 'mark': {
        const mark = this.marks.get(message.mark.name);
        if (!mark) return;
        // Twilio plays in order: the marks before this one have played too (their echo may be lost).
        for (const name of this.marks.keys()) {
          this.marks.delete(name);
          if (name === message.mark.name) break;
        }
        this.tracker.played(mark.responseId, mark.ms);
        return;
      }
      case 'dtmf':
        this.dtmf$.next(message.dtmf.digit);
        return;
      case 'stop':
        this.inbound.end();
        this.channel.close(CLOSE.normal, 'stream stopped');
        return;
    }
  }

  private onStart(message: TwilioStart): void {
    if (this.streamSid !== undefined) {
      this.fail(CLOSE.policy, 'a second start event on the same stream');
      return;
    }
    const format = message.start.mediaFormat;
    if (format.encoding !== 'audio/x-mulaw' || format.sampleRate !== 8000 || format.channels !== 1) {
      this.fail(
        CLOSE.unsupported,
        `unsupported mediaFormat ${format.encoding} ${format.sampleRate} Hz ${format.channels} ch (expected audio/x-mulaw 8000 Hz mono)`,
      );
      return;
    }
    this.streamSid = message.streamSid;
    this.resolveStarted({
      streamSid: message.streamSid,
      callSid: message.start.callSid,
      parameters: message.start.customParameters,
    });
  }

  private onMedia(payload: string, track: string | undefined): void {
    if (this.streamSid === undefined) {
      this.fail(CLOSE.policy, 'media event before the start event');
      return;
    }
    if (track !== undefined && track !== 'inbound') return;
    const bytes = decodeBase64(payload);
    if (!bytes) {
      this.fail(CLOSE.invalidPayload, 'malformed media event: media.payload is not base64');
      return;
    }
    const frame: AudioFrame = {
      kind: 'audio',
      timestamp: this.receivedSamples / BYTES_PER_MS,
      format: TWILIO_FORMAT,
      samples: bytes,
    };
    this.receivedSamples += bytes.length;
    this.inbound.push(frame, bytes.length / BYTES_PER_MS);
  }

  private fail(code: number, reason: string): void {
    this.channel.close(code, reason);
  }

  protected override onClosed(code: number, reason: string): void {
    this.rejectStarted(new Error(`closed before the start event (${code}${reason ? ` ${reason}` : ''})`));
    this.dtmf$.complete();
  }
}
