import { defineNode } from '@beluga-voice/core';
import { z } from 'zod';
import { boundCall } from './bound-call.js';
import type { TwilioCall } from './twilio-call.js';
import { TWILIO_FORMAT } from './twilio-format.js';

export const twilioIn = defineNode({
  type: 'transport.twilio-in',
  summary: 'The caller of a Twilio Media Streams call (G.711 μ-law 8 kHz), until Twilio stops the stream',
  config: z.object({}).strict(),
  inputs: {},
  outputs: { audio: { kinds: ['audio'], summary: 'Caller audio, 20 ms μ-law frames', format: TWILIO_FORMAT } },
  create(_cfg, ctx) {
    const call = boundCall(ctx, 'twilio') as TwilioCall;
    const digits = call.dtmf$.subscribe((digit) => ctx.emit({ type: 'mark', name: 'dtmf', data: { digit } }));
    ctx.onClose(() => digits.unsubscribe());
    return () => ({ audio: call.audio$ });
  },
});
