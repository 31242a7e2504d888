import type { z } from 'zod';
import type { AudioCaps } from '../caps.js';
import { type ConfigCheckContext, type ConfigProblem, defineNode, type NodeContext } from '../node.js';
import { type ConversationConfig, conversationSchema } from './conversation-config.js';
import { bridgeProvider } from './provider-bridge.js';
import type { ConversationContext, S2SCapabilities, S2SProvider } from './s2s.js';

/** What a provider node type declares; `defineProviderNode` adds the ports and the session handling. */
export interface ProviderNodeDefinition<T extends string, S extends z.ZodObject> {
  readonly type: T;
  readonly summary: string;
  readonly config: S;
  readonly secrets?: readonly string[];
  /** The provider's capabilities for a config: they give the ports' caps when the graph is built. */
  capabilities(config: z.output<S>): S2SCapabilities;
  /**
   * For a node that runs other providers (`provider.failover`): their node types and configs. The
   * graph reads what only they know from them (whether each detects turns itself).
   */
  providersIn?(config: z.output<S>): readonly { readonly type: string; readonly config: unknown }[];
  createProvider(config: z.output<S>, ctx: NodeContext): S2SProvider | Promise<S2SProvider>;
  /** System prompt, voice, temperature, tools and history the session starts from. */
  context?(config: z.output<S>): ConversationContext;
  /** How long `end-session` or inputs ending on their own wait for the current response (default 5000 ms); on `stop()` the pipeline's deadline governs. */
  readonly drainTimeoutMs?: number | ((config: z.output<S>) => number);
  /** What `create` needs from outside the config (files, other node types), for `beluga validate` (see `NodeSpec.check`). */
  check?(
    config: z.output<S>,
    context: ConfigCheckContext,
  ): readonly ConfigProblem[] | Promise<readonly ConfigProblem[]>;
}

const DRAIN_TIMEOUT_MS = 5000;

/** Where a provider node spec keeps its definition (a global symbol: it survives duplicate copies of core). */
const DEFINITION = Symbol.for('@beluga-voice/provider-definition');

/** The definition behind a node type made by `defineProviderNode` (what `provider.failover` builds providers from). */
export function providerDefinitionOf(spec: object): ProviderNodeDefinition<string, z.ZodObject> | undefined {
  return (spec as { [DEFINITION]?: ProviderNodeDefinition<string, z.ZodObject> })[DEFINITION];
}

/**
 * Declares a node type that puts a speech-to-speech provider into a graph. One session per run:
 * it opens when the pipeline starts and closes on stop (after the current response), on an
 * `end-session` control event, on abort or on a fatal session error. Tools offered by linked
 * nodes (`ctx.offer('tools', [...])`, e.g. a tool router) join the context's tools.
 */
export function defineProviderNode<const T extends string, S extends z.ZodObject>(
  definition: ProviderNodeDefinition<T, S>,
) {
  type C = z.output<S> & { conversation: ConversationConfig };
  type CIn = z.input<S> & { conversation?: z.input<typeof conversationSchema> };
  // Every provider node shares the conversation behaviour settings (false interruptions, idle, stalls).
  const config = definition.config.safeExtend({
    conversation: conversationSchema
      .default(conversationSchema.parse({}))
      .describe('Conversation behaviour: false interruptions, idle timeout, stalled responses'),
  }) as unknown as z.ZodType<C, CIn>;
  const spec = defineNode({
    type: definition.type,
    summary: definition.summary,
    config,
    ...(definition.secrets ? { secrets: definition.secrets } : {}),
    ...(definition.check
      ? {
          check: definition.check as (
            c: C,
            context: ConfigCheckContext,
          ) => readonly ConfigProblem[] | Promise<readonly ConfigProblem[]>,
        }
      : {}),
    inputs: {
      audio: {
        kinds: ['audio', 'speech-start', 'speech-stop', 'text'],
        summary: 'User audio, plus speech start/stop from a local VAD and text messages',
        caps: (config: C): AudioCaps => definition.capabilities(config).input,
        required: true,
      },
      toolResults: { kinds: ['tool-result'], summary: 'Results of the tool calls, fed back from the tool router' },
      control: { kinds: ['speech-start', 'speech-stop', 'text'], summary: 'Turn events and text from other nodes' },
    },
    outputs: {
      audio: {
        kinds: ['audio'],
        summary: 'Assistant audio, tagged with its response id',
        format: ({ config }: { config: C }) => definition.capabilities(config).output,
      },
      transcripts: { kinds: ['transcript'], summary: 'User and assistant transcripts' },
      toolCalls: { kinds: ['tool-call'], summary: 'Tool calls for the tool router' },
      events: {
        kinds: ['speech-start', 'speech-stop', 'response-start', 'response-done'],
        summary: 'Server-side speech detection and response boundaries',
      },
    },
    async create(config, ctx) {
      const provider = await definition.createProvider(config, ctx);
      const context = definition.context?.(config) ?? {};
      const drain = definition.drainTimeoutMs ?? DRAIN_TIMEOUT_MS;
      const drainTimeoutMs = typeof drain === 'function' ? drain(config) : drain;
      return (inputs) =>
        bridgeProvider(inputs, { provider, context, ctx, drainTimeoutMs, conversation: config.conversation });
    },
  });
  (spec as unknown as Record<symbol, unknown>)[DEFINITION] = definition;
  return spec;
}
