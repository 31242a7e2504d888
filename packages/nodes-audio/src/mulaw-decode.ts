import { defineNode } from '@beluga-voice/core';
import { map } from 'rxjs';
import { z } from 'zod';
import { decodeG711Frame, decoderConfigFor } from './g711-frames.js';

const config = z
  .object({ encoding: z.enum(['pcm16', 'f32']).default('pcm16').describe('Linear encoding to decode to') })
  .strict();

export const mulawDecode = defineNode({
  type: 'audio.mulaw-decode',
  summary: 'Decodes G.711 μ-law audio to pcm16 or f32',
  config,
  demand: 'passes',
  inputs: { audio: { kinds: ['audio'], caps: { encoding: ['mulaw'] }, required: true } },
  outputs: {
    audio: {
      kinds: ['audio'],
      format: ({ config: cfg, inputs }) => (inputs.audio ? { ...inputs.audio, encoding: cfg.encoding } : undefined),
    },
  },
  converter: { configFor: decoderConfigFor('mulaw') },
  create(cfg) {
    return ({ audio }) => ({ audio: audio.pipe(map((frame) => decodeG711Frame('mulaw', frame, cfg.encoding))) });
  },
});
