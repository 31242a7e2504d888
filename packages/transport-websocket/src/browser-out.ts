import { defineNode } from '@beluga-voice/core';
import { z } from 'zod';
import { BROWSER_RATES } from './browser-rates.js';
import { runCallSink } from './call-sink.js';

export const browserOut = defineNode({
  type: 'transport.browser-out',
  summary: "Plays the agent's audio in a browser caller's page; the page's played position drives barge-in truncation",
  config: z.object({}).strict(),
  inputs: {
    audio: {
      kinds: ['audio'],
      summary: 'Agent audio (pcm16 mono), tagged with its responseId',
      caps: { encoding: ['pcm16'], sampleRate: [...BROWSER_RATES], channels: [1] },
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
      runCallSink(ctx, 'browser', audio, responses);
      return {};
    };
  },
});
