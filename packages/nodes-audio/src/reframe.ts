import { type AudioFrame, defineNode } from '@beluga-voice/core';
import { filter, Observable } from 'rxjs';
import { z } from 'zod';
import { Reframer } from './reframer.js';

const config = z
  .object({
    frameMs: z
      .number()
      .positive()
      .max(10000)
      .default(20)
      .describe('Output frame duration in ms (10, 20, 32, 100 or any)'),
    remainder: z
      .enum(['pad', 'partial', 'drop'])
      .default('pad')
      .describe('At the end (or a discontinuity): pad the last frame with silence, emit it shorter, or drop it'),
    onInterrupt: z
      .enum(['keep', 'flush', 'discard'])
      .default('keep')
      .describe('On an interrupt control event: ignore it, emit the pending samples now, or drop them'),
  })
  .strict();

export const reframe = defineNode({
  type: 'audio.reframe',
  summary: 'Re-cuts audio into frames of a fixed duration, with exact timestamps, whatever the input chunking',
  config,
  demand: 'passes',
  inputs: { audio: { kinds: ['audio'], summary: 'Audio in any chunking and format', required: true } },
  outputs: { audio: { kinds: ['audio'], summary: 'Frames of exactly frameMs', format: ({ inputs }) => inputs.audio } },
  create(cfg, ctx) {
    return ({ audio }) => ({
      audio: new Observable<AudioFrame>((subscriber) => {
        const reframer = new Reframer(cfg.frameMs, cfg.remainder);
        const emit = (frames: AudioFrame[]) => {
          for (const f of frames) subscriber.next(f);
        };
        const onInterrupt = cfg.onInterrupt;
        const control =
          onInterrupt === 'keep'
            ? undefined
            : ctx.control.events$
                .pipe(filter((e) => e.type === 'interrupt'))
                .subscribe(() => emit(reframer.interrupt(onInterrupt)));
        const input = audio.subscribe({
          next: (frame) => emit(reframer.push(frame)),
          error: (error) => subscriber.error(error),
          complete: () => {
            emit(reframer.end());
            subscriber.complete();
          },
        });
        return () => {
          control?.unsubscribe();
          input.unsubscribe();
        };
      }),
    });
  },
});
