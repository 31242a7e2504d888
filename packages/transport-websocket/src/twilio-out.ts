import { defineNode } from '@beluga-voice/core';
import { z } from 'zod';
import { runCallSink } from './call-sink.js';

export const twilioOut = defineNode({
  type: 'transport.twilio-out',
  summary:
    "Plays the agent's audio to a Twilio caller; marks echoed by Twilio give the played position, barge-in sends clear",
  config: z.object({}).strict(),
  inputs: {
    audio: {
      kinds: ['audio'],
      summary: 'Agent audio, G.711 μ-law 8 kHz mono, tagged with its responseId',
      caps: { encoding: ['mulaw'], sampleRate: [8000], channels: [1] },
      required: true,
    },
    responses: {
      kinds: ['response-done'],
      summary: "Optional: the provider's response-done frames, so each turn's final playout is reported",
    },
  },
  outputs: {},
  create(_cfg, ctx) {
    return ({ audio, responses }) => {
      runCallSink(ctx, 'twilio', audio, responses);
      return {};
    };
  },
});
