import { resolve } from 'node:path';
import { type AudioFormat, defineNode, formatToString, sameFormat } from '@beluga-voice/core';
import { z } from 'zod';
import type { AudioWriter } from './audio-writer.js';
import { openSinkWriter } from './sink-output.js';

const config = z
  .object({
    path: z.string().min(1).describe("File to write (relative to the pipeline file), or '-' for stdout"),
    container: z
      .enum(['auto', 'wav', 'raw'])
      .default('auto')
      .describe(
        'auto: WAV for a .wav path, raw samples otherwise (stdout included); wav on stdout streams a header of unknown length',
      ),
  })
  .strict();

export const fileSink = defineNode({
  type: 'audio.file-sink',
  summary: 'Writes audio to a WAV file (header correct even after an abort), a raw PCM file, or stdout',
  config,
  inputs: {
    audio: {
      kinds: ['audio'],
      summary: 'Any format: pcm16 and μ-law/A-law become PCM and G.711 WAV, f32 a float WAV',
      required: true,
    },
  },
  outputs: {},
  create(cfg, ctx) {
    const path = cfg.path === '-' ? '-' : resolve(ctx.baseDir, cfg.path);
    const name = `audio.file-sink "${ctx.id}"`;
    let writer: Promise<AudioWriter> | undefined;
    let format: AudioFormat | undefined = ctx.formats.inputs.audio;
    let finished: Promise<void> | undefined;
    const open = (f: AudioFormat) => {
      writer ??= openSinkWriter(path, cfg.container, f);
      return writer;
    };
    const finish = () => {
      finished ??= (async () => {
        if (!writer) return;
        const w = await writer;
        await w.close();
        ctx.emit({ type: 'metric', name: 'file_sink.bytes_written', value: w.bytesWritten, unit: 'By' });
        ctx.emit({ type: 'mark', name: 'file-sink.closed', data: { path: cfg.path, bytes: w.bytesWritten } });
      })();
      return finished;
    };
    const fail = (error: unknown) => {
      const message = `${name}: cannot write ${cfg.path}: ${error instanceof Error ? error.message : String(error)}`;
      ctx.fail(new Error(message));
    };
    return ({ audio }) => {
      if (format) open(format).catch(fail);
      const sub = audio
        .process(async (frame) => {
          format ??= frame.format;
          if (!sameFormat(format, frame.format)) {
            throw new Error(`the format changed from ${formatToString(format)} to ${formatToString(frame.format)}`);
          }
          await (await open(format)).write(frame.samples);
        })
        .subscribe({ error: fail, complete: () => void finish().catch(fail) });
      ctx.onClose(async () => {
        sub.unsubscribe();
        await finish();
      });
      return {};
    };
  },
});
