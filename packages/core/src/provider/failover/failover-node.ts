import { z } from 'zod';
import { defineProviderNode } from '../provider-node.js';
import { checkFailoverProviders, failoverEntries } from './failover-entries.js';
import { FAILOVER, FailoverProvider } from './failover-provider.js';

const config = z
  .object({
    providers: z
      .array(
        z
          .object({
            type: z.string().min(1).describe('A provider node type, e.g. provider.openai-realtime'),
            config: z.record(z.string(), z.unknown()).default({}).describe("That provider's config"),
          })
          .strict(),
      )
      .min(1)
      .describe('Providers in order of preference; the next takes over when one fails'),
    cooldownMs: z.number().int().min(0).default(30_000).describe('A failed provider is skipped for this long (ms)'),
    bufferMs: z
      .number()
      .int()
      .min(0)
      .default(5000)
      .describe('User audio held while switching, at most (ms); beyond it the oldest is dropped and counted'),
    sampleRate: z.number().int().positive().default(24_000).describe('Sample rate of the pcm16 mono audio in'),
    outputSampleRate: z.number().int().positive().default(24_000).describe('Sample rate of the pcm16 mono audio out'),
  })
  .strict();

export const providerFailover = defineProviderNode({
  type: FAILOVER,
  summary: 'Runs the first healthy provider of a list and switches to the next on failure, replaying the conversation',
  config,
  // The providers' own keys, whatever their type calls them here.
  secrets: ['providers.*.config.apiKey'],
  capabilities: (c) => ({
    input: { encoding: ['pcm16'], sampleRate: [c.sampleRate], channels: [1] },
    output: { encoding: 'pcm16', sampleRate: c.outputSampleRate, channels: 1 },
    tools: true,
    // Known only from the listed providers: the graph reads theirs (`providersIn`), as the running
    // FailoverProvider reports them.
    serverVad: true,
    transcripts: true,
    interruption: true,
  }),
  providersIn: (c) => c.providers,
  check: (c, { baseDir }) => checkFailoverProviders(c.providers, baseDir),
  createProvider: async (c, ctx) =>
    new FailoverProvider({
      providers: await failoverEntries(c.providers, ctx),
      cooldownMs: c.cooldownMs,
      bufferMs: c.bufferMs,
      input: { encoding: 'pcm16', sampleRate: c.sampleRate, channels: 1 },
      output: { encoding: 'pcm16', sampleRate: c.outputSampleRate, channels: 1 },
      scheduler: ctx.scheduler,
      onSwitch: (s) => {
        const held = `${Math.round(s.bufferedMs)} ms of user audio held, ${Math.round(s.replayedMs)} ms replayed${s.droppedMs > 0 ? `, ${Math.round(s.droppedMs)} ms dropped` : ''}`;
        ctx.emit({
          type: 'warning',
          code: 'provider-failover',
          message: s.to
            ? `${FAILOVER}: ${s.from} failed (${s.reason}); switched to ${s.to} in ${Math.round(s.gapMs)} ms, ${held}`
            : `${FAILOVER}: ${s.from} failed and no provider is available (${s.reason}); ${held}`,
        });
        ctx.emit({
          type: 'metric',
          name: 'provider.failover.switches',
          value: 1,
          attributes: { from: s.from, to: s.to ?? 'none' },
        });
        if (s.droppedMs > 0)
          ctx.emit({ type: 'metric', name: 'provider.failover.dropped_audio', value: s.droppedMs, unit: 'ms' });
      },
    }),
});
