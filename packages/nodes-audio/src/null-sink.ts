import { audioDurationMs, defineNode, FRAME_KINDS } from '@beluga-voice/core';
import { z } from 'zod';

const config = z
  .object({
    reportEveryMs: z
      .number()
      .positive()
      .optional()
      .describe('Also report the counts every this many ms of audio received (default: only at the end)'),
  })
  .strict();

export const nullSink = defineNode({
  type: 'audio.null-sink',
  summary: 'Discards every frame, counting frames and ms of audio (metrics null_sink.frames and null_sink.audio_ms)',
  config,
  inputs: { audio: { kinds: FRAME_KINDS, summary: 'Any frames', required: true } },
  outputs: {},
  create(cfg, ctx) {
    let frames = 0;
    let audioMs = 0;
    let nextReport = cfg.reportEveryMs ?? Number.POSITIVE_INFINITY;
    let reported = false;
    const report = () => {
      ctx.emit({ type: 'metric', name: 'null_sink.frames', value: frames, unit: '{frame}' });
      ctx.emit({ type: 'metric', name: 'null_sink.audio_ms', value: audioMs, unit: 'ms' });
    };
    const final = () => {
      if (reported) return;
      reported = true;
      report();
    };
    return ({ audio }) => {
      const sub = audio.subscribe({
        next: (frame) => {
          frames++;
          if (frame.kind !== 'audio') return;
          audioMs += audioDurationMs(frame);
          if (audioMs >= nextReport) {
            report();
            nextReport += cfg.reportEveryMs ?? 0;
          }
        },
        complete: final,
      });
      ctx.onClose(() => {
        sub.unsubscribe();
        final();
      });
      return {};
    };
  },
});
