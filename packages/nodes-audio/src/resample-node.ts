import { defineNode } from '@beluga-voice/core';
import { z } from 'zod';
import { wasmKernelError } from './polyphase-kernel-wasm.js';
import { resampleAudio, resampledFormat } from './resample-stream.js';

const PCM = ['pcm16', 'f32'] as const;
/** VAD events travel with the audio they describe (e.g. `mic -> vad -> resample -> provider`). */
const PASSED_THROUGH = ['speech-start', 'speech-stop'] as const;

const config = z
  .object({
    sampleRate: z.number().int().positive().describe('Output sample rate in Hz'),
    channels: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Output channel count (down-mix averages, up-mix copies); default: as the input'),
    encoding: z.enum(PCM).optional().describe('Output encoding; default: as the input'),
    quality: z
      .enum(['high', 'low'])
      .default('high')
      .describe("'high': >= 80 dB stopband, < 0.1 dB ripple; 'low': short filter for VAD input, much faster"),
  })
  .strict();

export const resample = defineNode({
  type: 'audio.resample',
  summary: 'Converts sample rate, channel count and pcm16/f32 encoding (streaming polyphase filter)',
  config,
  demand: 'passes',
  inputs: {
    audio: {
      kinds: ['audio', ...PASSED_THROUGH],
      summary: 'Audio to convert; other frames pass through in order',
      caps: { encoding: PCM },
      required: true,
    },
  },
  outputs: {
    audio: {
      kinds: ['audio', ...PASSED_THROUGH],
      summary: 'Converted audio',
      format: ({ config, inputs }) => {
        const input = inputs.audio;
        if (input) return resampledFormat(config, input);
        if (config.channels === undefined || config.encoding === undefined) return undefined;
        return { encoding: config.encoding, sampleRate: config.sampleRate, channels: config.channels };
      },
    },
  },
  converter: {
    configFor(from, to) {
      const pcm = (e: string) => e === 'pcm16' || e === 'f32';
      if (!pcm(from.encoding) || !pcm(to.encoding)) return undefined;
      return { sampleRate: to.sampleRate, channels: to.channels, encoding: to.encoding as 'pcm16' | 'f32' };
    },
  },
  create(cfg, ctx) {
    // A rate change filters, several times slower without the SIMD kernel: say so once, not silently.
    const from = ctx.formats.inputs.audio?.sampleRate;
    const slow = from !== cfg.sampleRate ? wasmKernelError() : undefined;
    if (slow) ctx.emit({ type: 'warning', code: 'slow-kernel', message: `audio.resample "${ctx.id}": ${slow}` });
    return ({ audio }) => ({ audio: audio.pipe(resampleAudio(cfg, cfg.quality)) });
  },
});
