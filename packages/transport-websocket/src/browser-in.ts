import { defineNode } from '@beluga-voice/core';
import { z } from 'zod';
import { boundCall } from './bound-call.js';
import { BROWSER_RATES } from './browser-rates.js';

const config = z
  .object({
    sampleRate: z
      .union(BROWSER_RATES.map((r) => z.literal(r)) as [z.ZodLiteral<number>, ...z.ZodLiteral<number>[]])
      .default(16000)
      .describe('Rate the browser captures the microphone at, in Hz (pcm16 mono on the wire)'),
  })
  .strict();

export const browserIn = defineNode({
  type: 'transport.browser-in',
  summary: 'The microphone of a browser caller connected to `beluga serve` (pcm16 mono), until the caller hangs up',
  config,
  inputs: {},
  outputs: {
    audio: {
      kinds: ['audio'],
      summary: 'Caller audio as it arrives',
      format: ({ config: c }) => ({ encoding: 'pcm16', sampleRate: c.sampleRate, channels: 1 }),
    },
  },
  create(_cfg, ctx) {
    const call = boundCall(ctx, 'browser');
    return () => ({ audio: call.audio$ });
  },
});
