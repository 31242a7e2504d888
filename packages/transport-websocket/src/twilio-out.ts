import { defineNode } from '@beluga-voice/core';
import { z } from 'zod';
import { runCallSink, sinkInputs } from './call-sink.js';

export const twilioOut = defineNode({
  type: 'transport.twilio-out',
  summary:
    "Plays the agent's audio to a Twilio caller; marks echoed by Twilio give the played position, barge-in sends clear",
  config: z.object({}).strict(),
  inputs: sinkInputs({ encoding: ['mulaw'], sampleRate: [8000], channels: [1] }, 'G.711 μ-law 8 kHz mono'),
  outputs: {},
  create(_cfg, ctx) {
    return ({ audio, responses }) => {
      runCallSink(ctx, 'twilio', audio, responses);
      return {};
    };
  },
});
