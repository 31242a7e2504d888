import type { FrameKind } from '../frames.js';
import { providerDefinitionOf } from '../provider/provider-node.js';
import type { Registry } from '../registry.js';
import type { GraphIssue, IssuePath } from './model.js';
import type { ResolvedLink, ResolvedNode } from './resolved.js';

/**
 * A provider whose own turn detection is off answers once a `speech-stop` (or typed text) reaches
 * it. Warns, per such provider, when none can: no node upstream of its inputs makes one, so the
 * caller's turns never end and nothing is ever answered.
 */
export function checkTurnDetection(
  nodes: ReadonlyMap<string, ResolvedNode>,
  links: readonly ResolvedLink[],
  registry: Registry,
  nodePath: (id: string) => IssuePath,
): GraphIssue[] {
  // A turn ends on a speech-stop; typed text asks for a reply on its own.
  const stops = arrivals(nodes, links, 'speech-stop');
  const texts = arrivals(nodes, links, 'text');

  const warnings: GraphIssue[] = [];
  for (const [id, node] of nodes) {
    const off = turnDetectionOff(node.spec, node.config, registry);
    if (off === undefined || stops(id) || texts(id)) continue;
    warnings.push({
      code: 'turns-never-end',
      message: `node "${id}" (${node.spec.type}) has its own turn detection off${off} and no speech-stop reaches it: the caller's turns never end, so it never answers`,
      fix: `put a VAD on its way in (audio.vad-energy or audio.vad-silero, e.g. mic -> vad -> ${id}), or turn the provider's turn detection on`,
      path: nodePath(id),
    });
  }
  return warnings;
}

/**
 * Undefined when a node is no provider or detects turns itself; else where its detection is off:
 * `''` for the node itself, or which of the providers it runs (failover), since any of them may be
 * the one answering. What cannot be resolved here counts as detecting: validation reports an
 * unknown type or a bad config on its own.
 */
function turnDetectionOff(spec: object, config: unknown, registry: Registry): string | undefined {
  const definition = providerDefinitionOf(spec);
  if (!definition) return undefined;
  const inner = definition.providersIn?.(config as never);
  if (!inner) return definition.capabilities(config as never).serverVad ? undefined : '';
  const index = inner.findIndex((p) => {
    const innerSpec = registry.get(p.type);
    const parsed = innerSpec?.config.safeParse(p.config);
    return innerSpec && parsed?.success && turnDetectionOff(innerSpec, parsed.data, registry) !== undefined;
  });
  return index < 0 ? undefined : ` (providers[${index}], ${inner[index]?.type})`;
}

/**
 * Whether frames of `kind` can arrive at a node: some link carrying them comes from a node that
 * makes them (emits them without taking them in: a VAD, not a resampler passing them on) or that
 * they can arrive at in turn.
 */
function arrivals(
  nodes: ReadonlyMap<string, ResolvedNode>,
  links: readonly ResolvedLink[],
  kind: FrameKind,
): (id: string) => boolean {
  const makes = (node: ResolvedNode) =>
    Object.values(node.spec.outputs).some((port) => port.kinds.includes(kind)) &&
    !Object.values(node.spec.inputs).some((port) => port.kinds.includes(kind));
  const carrying = new Set([...nodes].filter(([, node]) => makes(node)).map(([id]) => id));
  const carriers = links.filter((link) => link.kinds.includes(kind));
  for (let grew = true; grew; ) {
    grew = false;
    for (const link of carriers) {
      if (carrying.has(link.from.node) && !carrying.has(link.to.node)) {
        carrying.add(link.to.node);
        grew = true;
      }
    }
  }
  return (id) => carriers.some((link) => link.to.node === id && carrying.has(link.from.node));
}
