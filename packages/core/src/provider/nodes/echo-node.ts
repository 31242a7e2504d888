import { z } from 'zod';
import { EchoProvider, echoCapabilities } from '../echo-provider.js';
import { defineProviderNode } from '../provider-node.js';
import { stubConfigShape, turnDetection } from './turn-config.js';

const config = z
  .object({
    ...stubConfigShape,
    prerollMs: z.number().min(0).default(100).describe('Audio kept from before the detected start of speech (ms)'),
  })
  .strict();

export const providerEcho = defineProviderNode({
  type: 'provider.echo',
  summary: 'Stub provider that plays back each user turn after a fixed latency (demos, tests, latency probes)',
  config,
  capabilities: (c) => echoCapabilities(c.sampleRate),
  // A reply can be as long as the longest turn: let it finish when the input ends.
  drainTimeoutMs: (c) => c.latencyMs + c.maxTurnMs + 1000,
  createProvider: (c, ctx) =>
    new EchoProvider({
      sampleRate: c.sampleRate,
      latencyMs: c.latencyMs,
      realtime: c.realtime,
      prerollMs: c.prerollMs,
      maxTurnMs: c.maxTurnMs,
      turnDetection: turnDetection(c),
      scheduler: ctx.scheduler,
    }),
});
