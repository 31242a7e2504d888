import {
  type AudioFrame,
  bytesToSamples,
  type EncodedAudioFrame,
  type InputStream,
  samplesToBytes,
} from '@beluga-voice/core';
import prism from 'prism-media';
import { Observable } from 'rxjs';

/** The rates an Opus encoder or decoder runs at. */
export const OPUS_RATES = [8000, 12000, 16000, 24000, 48000] as const;
/** Packet durations Opus encodes, in ms. */
export const OPUS_FRAME_MS = [2.5, 5, 10, 20, 40, 60] as const;

export interface OpusEncodeOptions {
  readonly frameMs: number;
  readonly bitrate: number;
  readonly application: 'voip' | 'audio';
}

type OpusStream = InstanceType<typeof prism.opus.Encoder>;

/** Settles once the stream has taken `bytes` (the link queue holds what comes next meanwhile). */
function write(stream: OpusStream, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) =>
    stream.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), (error) =>
      error ? reject(error) : resolve(),
    ),
  );
}

/**
 * pcm16 frames in, one Opus packet per `frameMs` out, through prism-media's `opus.Encoder` (set up
 * for the first frame's rate and channels). The last partial packet is padded with silence. Packet
 * timestamps follow the first frame's.
 */
export function encodeOpus(input: InputStream<AudioFrame>, options: OpusEncodeOptions): Observable<EncodedAudioFrame> {
  const { frameMs } = options;
  return new Observable<EncodedAudioFrame>((subscriber) => {
    let encoder: OpusStream | undefined;
    let packetBytes = 0;
    let written = 0;
    let packets = 0;
    let responseId: string | undefined;
    const open = (first: AudioFrame): OpusStream => {
      const { sampleRate, channels } = first.format;
      const frameSize = Math.round((sampleRate * frameMs) / 1000);
      packetBytes = frameSize * channels * 2;
      const stream = new prism.opus.Encoder({
        rate: sampleRate,
        channels,
        frameSize,
        application: options.application === 'voip' ? 'VOIP' : 'AUDIO',
      } as ConstructorParameters<typeof prism.opus.Encoder>[0]);
      stream.setBitrate(options.bitrate);
      stream.on('data', (packet: Buffer) => {
        subscriber.next({
          kind: 'encoded-audio',
          timestamp: first.timestamp + packets * frameMs,
          codec: 'opus',
          sampleRate,
          channels,
          durationMs: frameMs,
          data: new Uint8Array(packet),
          ...(responseId !== undefined ? { responseId } : {}),
        });
        packets++;
      });
      stream.on('error', (error) => subscriber.error(error));
      stream.on('end', () => subscriber.complete());
      return stream;
    };
    const feed = input
      .process(async (frame) => {
        encoder ??= open(frame);
        responseId = frame.responseId;
        const bytes = samplesToBytes(frame.samples);
        written += bytes.length;
        await write(encoder, bytes);
      })
      .subscribe({
        error: (error) => subscriber.error(error),
        complete: () => {
          if (!encoder) return subscriber.complete();
          const partial = written % packetBytes;
          if (partial > 0) encoder.write(Buffer.alloc(packetBytes - partial));
          encoder.end();
        },
      });
    return () => {
      feed.unsubscribe();
      encoder?.destroy();
    };
  });
}

/** Opus packets in, pcm16 frames out (one per packet), through prism-media's `opus.Decoder`. */
export function decodeOpus(
  input: InputStream<EncodedAudioFrame>,
  sampleRate: number,
  channels: number,
): Observable<AudioFrame> {
  const format = { encoding: 'pcm16', sampleRate, channels } as const;
  return new Observable<AudioFrame>((subscriber) => {
    const decoder = new prism.opus.Decoder({ rate: sampleRate, channels, frameSize: Math.round(sampleRate / 50) });
    let start: number | undefined;
    let decodedFrames = 0;
    let responseId: string | undefined;
    decoder.on('data', (pcm: Buffer) => {
      const samples = bytesToSamples('pcm16', pcm);
      subscriber.next({
        kind: 'audio',
        timestamp: (start ?? 0) + (decodedFrames * 1000) / sampleRate,
        format,
        samples,
        ...(responseId !== undefined ? { responseId } : {}),
      });
      decodedFrames += samples.length / channels;
    });
    decoder.on('error', (error) => subscriber.error(error));
    decoder.on('end', () => subscriber.complete());
    const feed = input
      .process(async (packet) => {
        if (packet.codec !== 'opus') throw new Error(`cannot decode ${packet.codec} packets`);
        start ??= packet.timestamp;
        responseId = packet.responseId;
        await write(decoder, packet.data);
      })
      .subscribe({ error: (error) => subscriber.error(error), complete: () => decoder.end() });
    return () => {
      feed.unsubscribe();
      decoder.destroy();
    };
  });
}
