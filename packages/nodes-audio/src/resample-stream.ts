import type { AudioFormat, AudioFrame, Frame } from '@beluga-voice/core';
import { Observable, type OperatorFunction } from 'rxjs';
import type { ResampleQuality } from './polyphase-filter.js';
import { type PcmEncoding, Resampler } from './resampler.js';

/** What the output should be; an absent field keeps the input's value. */
export interface ResampleTarget {
  readonly sampleRate: number;
  readonly channels?: number;
  readonly encoding?: PcmEncoding;
}

/** The output format for an input format. */
export function resampledFormat(target: ResampleTarget, input: AudioFormat): AudioFormat {
  return {
    encoding: target.encoding ?? input.encoding,
    sampleRate: target.sampleRate,
    channels: target.channels ?? input.channels,
  };
}

/**
 * Resamples the audio frames of a stream and passes every other frame through in order.
 *
 * Output timestamps run on from the first input frame of each segment at the output rate, so
 * they never drift. A `discont` input frame, or a change of input format, ends the segment: its
 * tail is flushed, the filter state is reset and the next output frame carries `discont`. At the
 * end of the stream the tail is flushed before completing.
 */
export function resampleAudio<F extends Frame>(
  target: ResampleTarget,
  quality: ResampleQuality,
): OperatorFunction<F, F> {
  return (source) =>
    new Observable<F>((subscriber) => {
      let resampler: Resampler | undefined;
      let inFormat: AudioFormat | undefined;
      let outFormat: AudioFormat | undefined;
      let startMs = 0;
      let discont = false;
      let responseId: string | undefined;

      const emit = (samples: Int16Array | Float32Array, produced: number) => {
        if (samples.length === 0 || !outFormat) return;
        const frames = samples.length / outFormat.channels;
        const frame: AudioFrame = {
          kind: 'audio',
          timestamp: startMs + ((produced - frames) * 1000) / outFormat.sampleRate,
          format: outFormat,
          samples,
          ...(discont ? { discont: true } : {}),
          ...(responseId !== undefined ? { responseId } : {}),
        };
        discont = false;
        subscriber.next(frame as F);
      };
      const flush = () => {
        if (!resampler || !outFormat) return;
        const produced = resampler.produced;
        const tail = resampler.flush(outFormat.encoding as PcmEncoding);
        emit(tail, produced + tail.length / outFormat.channels);
      };
      const start = (frame: AudioFrame) => {
        const format = frame.format;
        if (format.encoding !== 'pcm16' && format.encoding !== 'f32') {
          throw new TypeError(`audio.resample: cannot read ${format.encoding} audio (decode it to pcm16 or f32 first)`);
        }
        const out = resampledFormat(target, format);
        if (
          !resampler ||
          !inFormat ||
          inFormat.sampleRate !== format.sampleRate ||
          inFormat.channels !== format.channels
        ) {
          resampler = new Resampler({
            inRate: format.sampleRate,
            outRate: out.sampleRate,
            inChannels: format.channels,
            outChannels: out.channels,
            quality,
          });
        }
        inFormat = format;
        outFormat = out;
        startMs = frame.timestamp;
        discont = frame.discont === true;
      };

      return source.subscribe({
        next: (frame) => {
          if (frame.kind !== 'audio') {
            subscriber.next(frame);
            return;
          }
          try {
            const changed =
              !inFormat ||
              inFormat.encoding !== frame.format.encoding ||
              inFormat.sampleRate !== frame.format.sampleRate ||
              inFormat.channels !== frame.format.channels;
            if (changed || frame.discont) {
              flush();
              start(frame);
            }
            responseId = frame.responseId;
            const r = resampler as Resampler;
            const samples = r.process(
              frame.samples as Int16Array | Float32Array,
              (outFormat as AudioFormat).encoding as PcmEncoding,
            );
            emit(samples, r.produced);
          } catch (error) {
            subscriber.error(error);
          }
        },
        error: (error) => subscriber.error(error),
        complete: () => {
          flush();
          subscriber.complete();
        },
      });
    });
}
