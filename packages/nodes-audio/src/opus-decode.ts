import { defineNode } from '@beluga-voice/core';
import { z } from 'zod';
import { decodeOpus, OPUS_RATES } from './opus-codec.js';

const config = z
  .object({
    sampleRate: z
      .number()
      .refine((rate) => (OPUS_RATES as readonly number[]).includes(rate), 'must be 8000, 12000, 16000, 24000 or 48000')
      .default(48000)
      .describe('Rate to decode to, in Hz (Opus decodes any packet at 8, 12, 16, 24 or 48 kHz)'),
    channels: z.number().int().min(1).max(2).default(1).describe('Channels to decode to (1 or 2)'),
  })
  .strict();

export const opusDecode = defineNode({
  type: 'audio.opus-decode',
  summary: 'Decodes Opus packets (encoded-audio frames) to pcm16 through prism-media and opusscript',
  config,
  inputs: {
    packets: { kinds: ['encoded-audio'], summary: 'Opus packets, e.g. from audio.opus-encode', required: true },
  },
  outputs: {
    audio: {
      kinds: ['audio'],
      summary: 'One pcm16 frame per packet',
      format: ({ config: cfg }) => ({ encoding: 'pcm16', sampleRate: cfg.sampleRate, channels: cfg.channels }),
    },
  },
  create(cfg) {
    return ({ packets }) => ({ audio: decodeOpus(packets, cfg.sampleRate, cfg.channels) });
  },
});
