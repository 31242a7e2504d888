import { defineNode } from '@beluga-voice/core';
import { z } from 'zod';
import { BROWSER_RATES } from './browser-rates.js';
import { runCallSink, sinkInputs } from './call-sink.js';

export const browserOut = defineNode({
  type: 'transport.browser-out',
  summary: "Plays the agent's audio in a browser caller's page; the page's played position drives barge-in truncation",
  config: z.object({}).strict(),
  inputs: sinkInputs({ encoding: ['pcm16'], sampleRate: [...BROWSER_RATES], channels: [1] }, 'pcm16 mono'),
  outputs: {},
  create(_cfg, ctx) {
    return ({ audio, responses }) => {
      runCallSink(ctx, 'browser', audio, responses);
      return {};
    };
  },
});
