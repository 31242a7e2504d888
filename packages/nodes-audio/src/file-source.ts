import { resolve } from 'node:path';
import { AUDIO_ENCODINGS, defineNode } from '@beluga-voice/core';
import { catchError, throwError } from 'rxjs';
import { z } from 'zod';
import { checkSource, openSource, sourceFormat, sourceProblem } from './file-source-format.js';
import { pumpFrames } from './frame-pump.js';

const config = z
  .object({
    path: z.string().min(1).describe('Audio file to read; relative paths resolve against the pipeline file'),
    container: z
      .enum(['auto', 'wav', 'raw', 'compressed'])
      .default('auto')
      .describe('auto: .wav → wav, .raw/.pcm → raw PCM, anything else (mp3, ogg, m4a…) decoded by ffmpeg'),
    pace: z
      .enum(['realtime', 'fast'])
      .default('realtime')
      .describe(
        'realtime: one frame per frameMs of wall clock, like a microphone; fast: as fast as the pipeline takes it',
      ),
    frameMs: z.number().positive().max(1000).default(20).describe('Duration of each emitted frame in ms'),
    loop: z.boolean().default(false).describe('Start again from the beginning at the end of the file'),
    encoding: z
      .enum(['auto', 'pcm16', 'f32'])
      .default('auto')
      .describe(
        'Output encoding. auto keeps pcm16, f32, μ-law and A-law WAV data as stored (8/24/32-bit integers → pcm16, 64-bit float → f32; compressed → pcm16)',
      ),
    raw: z
      .object({
        encoding: z
          .enum(AUDIO_ENCODINGS as ['pcm16', 'f32', 'mulaw', 'alaw'])
          .describe('Sample encoding in the file (little-endian)'),
        sampleRate: z.number().int().positive().describe('Sample rate in Hz'),
        channels: z.number().int().positive().default(1).describe('Interleaved channels'),
      })
      .strict()
      .optional()
      .describe('Format of a raw PCM file (required for raw files)'),
    sampleRate: z.number().int().positive().default(16000).describe('Rate compressed files are decoded to, in Hz'),
    channels: z.number().int().positive().default(1).describe('Channels compressed files are decoded to'),
  })
  .strict();

export const fileSource = defineNode({
  type: 'audio.file-source',
  summary: 'Plays an audio file (WAV, raw PCM, or mp3/ogg/m4a… through ffmpeg) as a stream of audio frames',
  config,
  demand: 'pauses',
  inputs: {},
  outputs: {
    audio: {
      kinds: ['audio'],
      summary: 'Frames of frameMs; timestamps in ms from the start of the stream',
      format: ({ config: cfg, baseDir }) => sourceFormat(cfg, baseDir),
    },
  },
  check(cfg, { baseDir }) {
    const problem = sourceProblem(cfg, resolve(baseDir, cfg.path));
    return problem ? [{ path: [problem.key], message: problem.message, fix: problem.fix }] : [];
  },
  create(cfg, ctx) {
    const path = resolve(ctx.baseDir, cfg.path);
    const fail = (error: unknown) =>
      new Error(`audio.file-source "${ctx.id}": ${error instanceof Error ? error.message : String(error)}`);
    try {
      checkSource(cfg, path);
    } catch (error) {
      throw fail(error);
    }
    // Readers still closing: the node's close (and so the pipeline's `done`) waits for them.
    const releasing = new Set<Promise<void>>();
    ctx.onClose(async () => {
      await Promise.all(releasing);
    });
    const options = {
      frameMs: cfg.frameMs,
      pace: cfg.pace,
      loop: cfg.loop,
      scheduler: ctx.scheduler,
      demand: ctx.demand,
      // `beluga run` draws its progress bar from this metric.
      progress: (value: number) =>
        ctx.emit({ type: 'metric', name: 'source.progress', value, unit: '1', attributes: { path: cfg.path } }),
      onRelease: (released: Promise<void>) => {
        const tracked = released.finally(() => releasing.delete(tracked));
        releasing.add(tracked);
        // The close hook reports a failed close; until then it must not count as unhandled.
        tracked.catch(() => {});
      },
    };
    return () => ({
      audio: pumpFrames(() => openSource(cfg, path), options).pipe(
        catchError((error) => throwError(() => fail(error))),
      ),
    });
  },
});
