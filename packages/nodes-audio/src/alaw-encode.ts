import { defineNode } from '@beluga-voice/core';
import { map } from 'rxjs';
import { z } from 'zod';
import { encodeG711Frame, encoderConfigFor } from './g711-frames.js';

const config = z.object({}).strict();

export const alawEncode = defineNode({
  type: 'audio.alaw-encode',
  summary: 'Encodes pcm16 (or f32) audio to G.711 A-law, bit-exact with the ITU reference',
  config,
  demand: 'passes',
  inputs: { audio: { kinds: ['audio'], caps: { encoding: ['pcm16', 'f32'] }, required: true } },
  outputs: {
    audio: {
      kinds: ['audio'],
      format: ({ inputs }) => (inputs.audio ? { ...inputs.audio, encoding: 'alaw' } : undefined),
    },
  },
  converter: { configFor: encoderConfigFor('alaw') },
  create() {
    return ({ audio }) => ({ audio: audio.pipe(map((frame) => encodeG711Frame('alaw', frame))) });
  },
});
