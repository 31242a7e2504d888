import { defineNode } from '@beluga-voice/core';
import { z } from 'zod';
import { encodeOpus, OPUS_FRAME_MS, OPUS_RATES } from './opus-codec.js';

const config = z
  .object({
    frameMs: z
      .number()
      .refine((ms) => (OPUS_FRAME_MS as readonly number[]).includes(ms), 'must be 2.5, 5, 10, 20, 40 or 60')
      .default(20)
      .describe('Packet duration in ms: 2.5, 5, 10, 20, 40 or 60'),
    bitrate: z.number().int().min(16000).max(128000).default(32000).describe('Target bitrate in bit/s (16000–128000)'),
    application: z.enum(['voip', 'audio']).default('voip').describe('Opus tuning: voip favours speech'),
  })
  .strict();

export const opusEncode = defineNode({
  type: 'audio.opus-encode',
  summary: 'Encodes pcm16 audio to Opus packets (encoded-audio frames) through prism-media and opusscript',
  config,
  inputs: {
    audio: {
      kinds: ['audio'],
      caps: { encoding: ['pcm16'], sampleRate: [...OPUS_RATES], channels: [1, 2] },
      required: true,
    },
  },
  outputs: {
    packets: { kinds: ['encoded-audio'], summary: 'One Opus packet per frameMs, for a transport or audio.opus-decode' },
  },
  create(cfg) {
    return ({ audio }) => ({ packets: encodeOpus(audio, cfg) });
  },
});
