import WebSocket from 'ws';
import { twilioSignature } from '../upgrade-checks.js';

export interface TwilioCallerOptions {
  /** The server's Twilio path, e.g. ws://127.0.0.1:8080/twilio. */
  readonly url: string;
  /** What the caller says: G.711 μ-law 8 kHz, sent as 20 ms media events at real-time pace. */
  readonly audio: Uint8Array;
  /** Silence sent after the audio before `stop` (ms). */
  readonly tailMs?: number;
  readonly customParameters?: Readonly<Record<string, string>>;
  /** Reply audio buffered before playback starts, like Twilio's network and jitter buffer (ms). */
  readonly playoutDelayMs?: number;
  /** Stop sending (and reading) early, e.g. to hang up mid-call. */
  readonly signal?: AbortSignal;
  /** Keys pressed during the call: `dtmf` events sent at these times (ms since the start). */
  readonly dtmf?: ReadonlyArray<{ readonly atMs: number; readonly digit: string }>;
  /**
   * Signs the upgrade as Twilio does (`X-Twilio-Signature`) with this auth token, over
   * `signedUrl` (default: `url` as wss://, the URL a TwiML would name).
   */
  readonly authToken?: string;
  readonly signedUrl?: string;
}

/** What the simulated call saw, times in ms since the stream started. */
export interface TwilioCallReport {
  readonly clears: readonly number[];
  /** Reply audio played, and when each 20 ms of it played. */
  readonly played: Uint8Array;
  /** Per clear: ms of reply audio played since the previous clear (or the start) when it came. */
  readonly playedAtClear: readonly number[];
  readonly marksSent: number;
  readonly marksEchoed: number;
  readonly mediaReceived: number;
  readonly stopSentAt: number | undefined;
  readonly closedAt: number;
  readonly closeCode: number;
  readonly closeReason: string;
}

const FRAME_BYTES = 160;
const FRAME_MS = 20;
const SILENCE = 0xff;

type Queued = { readonly kind: 'audio'; bytes: Uint8Array } | { readonly kind: 'mark'; readonly name: string };

/**
 * A phone call as Twilio streams it (bidirectional Media Streams): `connected`, `start`, paced
 * 20 ms `media` events, `stop`; it plays the reply audio it gets in real time, echoes each `mark`
 * once the audio before it has played, and on `clear` drops its buffer and echoes the pending marks.
 */
export function simulateTwilioCall(options: TwilioCallerOptions): Promise<TwilioCallReport> {
  const signed = options.signedUrl ?? options.url.replace(/^ws:/, 'wss:');
  const ws = new WebSocket(
    options.url,
    options.authToken ? { headers: { 'X-Twilio-Signature': twilioSignature(options.authToken, signed) } } : {},
  );
  const streamSid = `MZ${Math.random().toString(16).slice(2).padEnd(32, '0')}`;
  const callSid = `CA${Math.random().toString(16).slice(2).padEnd(32, '0')}`;
  const queue: Queued[] = [];
  const played: number[] = [];
  const clears: number[] = [];
  const playedAtClear: number[] = [];
  let playedSinceClear = 0;
  let marksSent = 0;
  let marksEchoed = 0;
  let mediaReceived = 0;
  let queuedBytes = 0;
  let playing = false;
  let sequence = 0;
  let stopSentAt: number | undefined;
  let startedAt = 0;
  let sentFrames = 0;
  let timer: NodeJS.Timeout | undefined;
  const totalFrames = Math.ceil(options.audio.length / FRAME_BYTES) + Math.round((options.tailMs ?? 0) / FRAME_MS);
  const elapsed = () => performance.now() - startedAt;
  const send = (message: Record<string, unknown>) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ ...message, sequenceNumber: String(++sequence) }));
  };
  const echoMarks = () => {
    while (queue[0]?.kind === 'mark') {
      const mark = queue.shift() as { name: string };
      marksEchoed++;
      send({ event: 'mark', streamSid, mark: { name: mark.name } });
    }
  };
  const playFrame = () => {
    echoMarks();
    if (!playing && queuedBytes >= ((options.playoutDelayMs ?? 0) / FRAME_MS) * FRAME_BYTES) playing = queuedBytes > 0;
    if (!playing) return;
    let need = FRAME_BYTES;
    while (need > 0 && queue[0]?.kind === 'audio') {
      const head = queue[0];
      const take = Math.min(need, head.bytes.length);
      for (let i = 0; i < take; i++) played.push(head.bytes[i] as number);
      head.bytes = head.bytes.subarray(take);
      queuedBytes -= take;
      need -= take;
      playedSinceClear += take / 8;
      if (head.bytes.length === 0) queue.shift();
      if (need > 0) echoMarks();
    }
    echoMarks();
    if (queuedBytes === 0) playing = false;
  };
  const keys = [...(options.dtmf ?? [])].sort((a, b) => a.atMs - b.atMs);
  const tick = () => {
    while (keys.length > 0 && (keys[0]?.atMs as number) <= elapsed()) {
      const key = keys.shift() as { digit: string };
      send({ event: 'dtmf', streamSid, dtmf: { track: 'inbound_track', digit: key.digit } });
    }
    const due = Math.floor(elapsed() / FRAME_MS) + 1;
    while (sentFrames < Math.min(due, totalFrames)) {
      const chunk = new Uint8Array(FRAME_BYTES).fill(SILENCE);
      chunk.set(options.audio.subarray(sentFrames * FRAME_BYTES, (sentFrames + 1) * FRAME_BYTES));
      send({
        event: 'media',
        streamSid,
        media: {
          track: 'inbound',
          chunk: String(sentFrames + 1),
          timestamp: String(sentFrames * FRAME_MS),
          payload: Buffer.from(chunk).toString('base64'),
        },
      });
      sentFrames++;
      playFrame();
    }
    if (sentFrames >= totalFrames || options.signal?.aborted) {
      stopSentAt = elapsed();
      send({ event: 'stop', streamSid, stop: { accountSid: 'AC0', callSid } });
      return;
    }
    timer = setTimeout(tick, Math.max(1, (sentFrames + 1) * FRAME_MS - elapsed()));
  };
  ws.on('open', () => {
    startedAt = performance.now();
    send({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    send({
      event: 'start',
      streamSid,
      start: {
        accountSid: 'AC0',
        streamSid,
        callSid,
        tracks: ['inbound'],
        customParameters: options.customParameters ?? {},
        mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
      },
    });
    tick();
  });
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as { event: string; media?: { payload: string }; mark?: { name: string } };
    if (message.event === 'media' && message.media) {
      const bytes = Buffer.from(message.media.payload, 'base64');
      mediaReceived += bytes.length;
      queue.push({ kind: 'audio', bytes: new Uint8Array(bytes) });
      queuedBytes += bytes.length;
    } else if (message.event === 'mark' && message.mark) {
      marksSent++;
      queue.push({ kind: 'mark', name: message.mark.name });
      if (queuedBytes === 0) echoMarks();
    } else if (message.event === 'clear') {
      clears.push(elapsed());
      playedAtClear.push(playedSinceClear);
      playedSinceClear = 0;
      const marks = queue.filter((q) => q.kind === 'mark');
      queue.length = 0;
      queuedBytes = 0;
      playing = false;
      queue.push(...marks);
      echoMarks();
    }
  });
  return new Promise((resolve, reject) => {
    ws.on('error', reject);
    ws.on('close', (code, reason) => {
      clearTimeout(timer);
      resolve({
        clears,
        played: Uint8Array.from(played),
        playedAtClear,
        marksSent,
        marksEchoed,
        mediaReceived,
        stopSentAt,
        closedAt: elapsed(),
        closeCode: code,
        closeReason: reason.toString(),
      });
    });
  });
}
