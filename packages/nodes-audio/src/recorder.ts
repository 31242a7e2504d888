import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type AudioFrame, defineNode, formatToString } from '@beluga-voice/core';
import { z } from 'zod';
import { WavWriter } from './audio-writer.js';
import { StereoTimeline } from './stereo-timeline.js';

const config = z
  .object({
    path: z
      .string()
      .min(1)
      .describe('WAV file to write (relative to the pipeline file); {time} is replaced by the session start time'),
    align: z
      .enum(['arrival', 'timestamp'])
      .default('arrival')
      .describe('Place each frame at the time it arrives on the session clock, or at its own timestamp'),
    maxLagMs: z
      .number()
      .positive()
      .default(2000)
      .describe('A side that lags the other by more than this is written as silence (bounds memory)'),
  })
  .strict();

const voice = { kinds: ['audio'], caps: { encoding: ['pcm16'], channels: [1] } } as const;

export const recorder = defineNode({
  type: 'audio.recorder',
  summary: 'Records a session to one stereo WAV: user on the left, assistant on the right, aligned on the timeline',
  config,
  inputs: {
    user: { ...voice, summary: 'User audio (left channel), mono pcm16' },
    assistant: { ...voice, summary: 'Assistant audio (right channel), mono pcm16 at the same rate as user' },
  },
  outputs: {},
  create(cfg, ctx) {
    const name = `audio.recorder "${ctx.id}"`;
    const { user: userFormat, assistant: assistantFormat } = ctx.formats.inputs;
    if (userFormat && assistantFormat && userFormat.sampleRate !== assistantFormat.sampleRate) {
      throw new Error(
        `${name}: user audio is ${userFormat.sampleRate} Hz but assistant audio is ${assistantFormat.sampleRate} Hz; insert audio.resample so both have the same rate`,
      );
    }
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
    const path = resolve(ctx.baseDir, cfg.path.replaceAll('{time}', stamp));
    let rate = userFormat?.sampleRate ?? assistantFormat?.sampleRate;
    let writer: Promise<WavWriter> | undefined;
    let finished: Promise<void> | undefined;
    let timeline: StereoTimeline | undefined;
    const open = (sampleRate: number) => {
      writer ??= mkdir(dirname(path), { recursive: true }).then(() =>
        WavWriter.open(path, { encoding: 'pcm16', sampleRate, channels: 2 }),
      );
      return writer;
    };
    const fail = (error: unknown) => {
      const message = `${name}: ${error instanceof Error ? error.message : String(error)}`;
      ctx.fail(new Error(message));
    };
    const finish = () => {
      finished ??= (async () => {
        if (!writer) return;
        const w = await writer;
        const rest = timeline?.finish();
        if (rest) await w.write(rest);
        await w.close();
        ctx.emit({ type: 'metric', name: 'recorder.bytes_written', value: w.bytesWritten, unit: 'By' });
        ctx.emit({ type: 'mark', name: 'recorder.closed', data: { path, bytes: w.bytesWritten } });
      })();
      return finished;
    };
    return ({ user, assistant }) => {
      const start = ctx.now();
      const place = (channel: 0 | 1) => async (frame: AudioFrame) => {
        const side = channel === 0 ? 'user' : 'assistant';
        if (frame.format.encoding !== 'pcm16' || frame.format.channels !== 1) {
          throw new Error(`${side} audio is ${formatToString(frame.format)}, expected mono pcm16`);
        }
        rate ??= frame.format.sampleRate;
        if (frame.format.sampleRate !== rate) {
          throw new Error(`${side} audio is ${frame.format.sampleRate} Hz, expected ${rate} Hz`);
        }
        timeline ??= new StereoTimeline(Math.round((cfg.maxLagMs * rate) / 1000));
        const ms = cfg.align === 'arrival' ? ctx.now() - start : frame.timestamp;
        const chunk = timeline.place(channel, Math.round((ms * rate) / 1000), frame.samples as Int16Array);
        const w = await open(rate);
        if (chunk) await w.write(chunk);
      };
      let openInputs = 2;
      const done = () => {
        if (--openInputs === 0) void finish().catch(fail);
      };
      const subs = [user.process(place(0)), assistant.process(place(1))].map((stream) =>
        stream.subscribe({ error: fail, complete: done }),
      );
      ctx.onClose(async () => {
        for (const sub of subs) sub.unsubscribe();
        await finish();
      });
      return {};
    };
  },
});
