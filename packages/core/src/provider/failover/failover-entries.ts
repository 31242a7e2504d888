import { discoverNodes } from '../../discovery/discover.js';
import { packageForType } from '../../graph/known-packages.js';
import type { AnyNodeSpec, ConfigProblem, NodeContext } from '../../node.js';
import { didYouMean } from '../../suggest.js';
import { type ProviderNodeDefinition, providerDefinitionOf } from '../provider-node.js';
import { FAILOVER, type FailoverEntry } from './failover-provider.js';

export interface FailoverProviderDecl {
  readonly type: string;
  readonly config: Record<string, unknown>;
}

interface ResolvedProvider {
  /** Its place in the list. */
  readonly index: number;
  readonly type: string;
  readonly spec: AnyNodeSpec;
  readonly definition: ProviderNodeDefinition<string, never>;
  readonly config: Record<string, unknown>;
}

/**
 * The listed providers against the node types installed around the pipeline: each one's node
 * spec and parsed config, or the problems, at their place in the failover's config
 * (`providers.1.type`, `providers.0.config.apiKey`).
 */
async function resolveProviders(
  decls: readonly FailoverProviderDecl[],
  baseDir: string,
): Promise<{ providers: ResolvedProvider[]; problems: ConfigProblem[] }> {
  const { registry } = await discoverNodes({ searchFrom: [baseDir, process.cwd()], baseDir });
  const providers: ResolvedProvider[] = [];
  const problems: ConfigProblem[] = [];
  decls.forEach(({ type, config }, i) => {
    const spec = registry.get(type);
    const definition = spec && providerDefinitionOf(spec);
    if (!spec || !definition) {
      const path = ['providers', i, 'type'];
      const where = `providers[${i}].type "${type}"`;
      if (spec) {
        problems.push({ path, message: `${where} is not a provider node` });
        return;
      }
      const installed = registry.types().filter((t) => providerDefinitionOf(registry.get(t) ?? {}) && t !== FAILOVER);
      const pkg = packageForType(type);
      const fix =
        didYouMean(type, installed) ?? (pkg ? `install ${pkg}` : `installed providers: ${installed.join(', ')}`);
      problems.push({ path, message: `${where} is not installed`, fix });
      return;
    }
    const parsed = spec.config.safeParse(config);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const at = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
        problems.push({
          path: ['providers', i, 'config', ...at],
          message: `providers[${i}] (${type}) config: ${at.join('.') || '(config)'}: ${issue.message}`,
        });
      }
      return;
    }
    providers.push({
      index: i,
      type,
      spec,
      definition: definition as ProviderNodeDefinition<string, never>,
      config: parsed.data as Record<string, unknown>,
    });
  });
  return { providers, problems };
}

/** `beluga validate`: every listed provider installed, its config valid, and what it reads there. */
export async function checkFailoverProviders(
  decls: readonly FailoverProviderDecl[],
  baseDir: string,
): Promise<ConfigProblem[]> {
  const { providers, problems } = await resolveProviders(decls, baseDir);
  for (const p of providers) {
    for (const inner of (await p.spec.check?.(p.config, { baseDir })) ?? []) {
      problems.push({ ...inner, path: ['providers', p.index, 'config', ...inner.path] });
    }
  }
  return problems;
}

/** The failover's providers, ready to create; throws naming every problem. */
export async function failoverEntries(
  decls: readonly FailoverProviderDecl[],
  ctx: NodeContext,
): Promise<FailoverEntry[]> {
  const { providers, problems } = await resolveProviders(decls, ctx.baseDir);
  if (problems.length > 0) {
    throw new Error(problems.map((p) => `${FAILOVER}: ${p.message}${p.fix ? `; ${p.fix}` : ''}`).join('\n'));
  }
  return providers.map(({ type, definition, config }) => ({
    name: type.replace(/^provider\./, ''),
    create: () => definition.createProvider(config as never, ctx),
    serverVad: definition.capabilities(config as never).serverVad,
  }));
}
