import { type AudioFrame, defineNode } from '@beluga-voice/core';
import { Observable, tap } from 'rxjs';
import { z } from 'zod';
import { Pacer } from './pacer.js';

const config = z
  .object({
    bufferMs: z
      .number()
      .positive()
      .default(30000)
      .describe('Most audio held ahead of playback, in ms (an interrupt flushes it at once)'),
    overflow: z
      .enum(['block', 'drop-oldest'])
      .default('block')
      .describe('Beyond bufferMs: block (leave frames in the link queue, lossless) or drop the oldest and report it'),
  })
  .strict();

export const pace = defineNode({
  type: 'audio.pace',
  summary:
    'Plays audio out at wall-clock pace, flushes on interrupt, holds on pause, and reports the ms of each response played',
  config,
  inputs: {
    audio: { kinds: ['audio'], summary: 'Audio, typically assistant audio tagged with responseId', required: true },
    responses: {
      kinds: ['response-done'],
      summary:
        'Optional: response-done frames, so the final played position is reported as soon as a response has played',
    },
  },
  outputs: {
    audio: {
      kinds: ['audio'],
      summary: 'The same frames, each when the previous one has played; discont after a flush or a drop',
      format: ({ inputs }) => inputs.audio,
    },
  },
  create(cfg, ctx) {
    return ({ audio, responses }) => ({
      audio: new Observable<AudioFrame>((subscriber) => {
        const pacer = new Pacer({
          bufferMs: cfg.bufferMs,
          scheduler: ctx.scheduler,
          emit: (frame) => subscriber.next(frame),
          complete: () => subscriber.complete(),
          playout: (responseId, playedMs, final) =>
            ctx.control.send({ type: 'playout', responseId, playedMs, ...(final ? { final } : {}) }),
          dropped: (frames, ms) => {
            ctx.emit({ type: 'metric', name: 'pace.dropped_ms', value: ms, unit: 'ms' });
            ctx.emit({
              type: 'warning',
              code: 'pace-overflow',
              message: `dropped ${ms} ms of audio (${frames} frames): more than bufferMs (${cfg.bufferMs} ms) buffered`,
            });
          },
        });
        const control = ctx.control.events$.subscribe((event) => {
          if (event.type === 'interrupt') pacer.interrupt(event.responseId);
          else if (event.type === 'pause') pacer.pause();
          else if (event.type === 'resume') pacer.resume();
        });
        const ended = responses.subscribe((frame) => pacer.responseDone(frame.responseId));
        const feed: Observable<unknown> =
          cfg.overflow === 'block'
            ? audio.process(async (frame) => {
                await pacer.room(frame);
                pacer.push(frame);
              })
            : audio.pipe(tap((frame) => pacer.push(frame)));
        const input = feed.subscribe({
          error: (error: unknown) => subscriber.error(error),
          complete: () => pacer.end(),
        });
        return () => {
          control.unsubscribe();
          ended.unsubscribe();
          input.unsubscribe();
          pacer.dispose();
        };
      }),
    });
  },
});
