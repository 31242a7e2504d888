import { z } from 'zod';
import { discoverNodes } from '../../discovery/discover.js';
import { packageForType } from '../../graph/known-packages.js';
import type { NodeContext } from '../../node.js';
import { didYouMean } from '../../suggest.js';
import { defineProviderNode, providerDefinitionOf } from '../provider-node.js';
import { FAILOVER, type FailoverEntry, FailoverProvider } from './failover-provider.js';

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

type FailoverConfig = z.output<typeof config>;

/** Providers by node type, from the node packages installed around the pipeline. */
async function entriesFor(cfg: FailoverConfig, ctx: NodeContext): Promise<FailoverEntry[]> {
  const { registry } = await discoverNodes({ searchFrom: [ctx.baseDir, process.cwd()], baseDir: ctx.baseDir });
  return cfg.providers.map(({ type, config: own }, i) => {
    const spec = registry.get(type);
    const definition = spec && providerDefinitionOf(spec);
    if (!spec || !definition) {
      const where = `${FAILOVER}: providers[${i}].type "${type}"`;
      if (spec) throw new Error(`${where} is not a provider node`);
      const providers = registry.types().filter((t) => providerDefinitionOf(registry.get(t) ?? {}) && t !== FAILOVER);
      const pkg = packageForType(type);
      const hint =
        didYouMean(type, providers) ?? (pkg ? `install ${pkg}` : `installed providers: ${providers.join(', ')}`);
      throw new Error(`${where} is not installed; ${hint}`);
    }
    const parsed = spec.config.safeParse(own);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(config)'}: ${issue.message}`);
      throw new Error(`${FAILOVER}: providers[${i}] (${type}) config: ${problems.join('; ')}`);
    }
    return {
      name: type.replace(/^provider\./, ''),
      create: () => definition.createProvider(parsed.data as Record<string, unknown>, ctx),
    };
  });
}

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
    serverVad: true,
    transcripts: true,
    interruption: true,
  }),
  createProvider: async (c, ctx) =>
    new FailoverProvider({
      providers: await entriesFor(c, ctx),
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
