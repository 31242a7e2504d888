import { limitText } from '../runtime/queue-settings.js';
import type { GraphIssue } from './model.js';
import type { ResolvedLink, ResolvedNode } from './resolved.js';

export interface BackpressurePlan {
  readonly links: ResolvedLink[];
  readonly warnings: GraphIssue[];
}

/**
 * Decides, link by link, whether demand can reach a producer. A node can be held back when it
 * pauses itself, or when it passes demand and every input reaches it through a `block` queue from
 * a node that can be held back. Audio links from such a producer default to `block` (lossless: the
 * source waits for the slowest consumer). A `block` link whose producer cannot be held back gets a
 * warning naming it; at run time that queue holds its bound by dropping the oldest audio, counted.
 */
export function planBackpressure(
  nodes: ReadonlyMap<string, ResolvedNode>,
  links: readonly ResolvedLink[],
  order: readonly string[],
): BackpressurePlan {
  const incoming = new Map<string, ResolvedLink[]>();
  const outgoing = new Map<string, ResolvedLink[]>();
  for (const link of links) {
    if (!link.feedback) incoming.set(link.to.node, [...(incoming.get(link.to.node) ?? []), link]);
    outgoing.set(link.from.node, [...(outgoing.get(link.from.node) ?? []), link]);
  }
  const planned = new Map<ResolvedLink, ResolvedLink>();
  /** Why a node cannot be held back; absent for nodes that can. */
  const blockers = new Map<string, string>();
  const warnings: GraphIssue[] = [];
  for (const id of order) {
    const node = nodes.get(id) as ResolvedNode;
    const inputs = (incoming.get(id) ?? []).map((l) => planned.get(l) ?? l);
    const blocker = whyNotPausable(node, inputs, blockers);
    if (blocker) blockers.set(id, blocker);
    for (const link of outgoing.get(id) ?? []) {
      const lossless = !blocker && !link.queue.declared && link.kinds.includes('audio');
      const queue = lossless ? { ...link.queue, overflow: 'block' as const } : link.queue;
      const next: ResolvedLink = { ...link, queue, producerPauses: !blocker };
      planned.set(link, next);
      if (queue.overflow === 'block' && blocker) {
        warnings.push({
          code: 'block-cannot-pause',
          message: `link ${link.id}: overflow block cannot hold back its producer: ${blocker}; at run time the queue keeps its bound (${limitText(link.queue)}) by dropping the oldest audio, counted as drops`,
          fix: 'block right after a pausable source (audio.file-source) or nodes that pass demand to one (audio.resample, audio.reframe, the VADs, G.711), or declare drop-oldest to accept the loss',
          ...(link.path ? { path: link.path } : {}),
        });
      }
    }
  }
  return { links: links.map((l) => planned.get(l) ?? l), warnings };
}

function whyNotPausable(
  node: ResolvedNode,
  inputs: readonly ResolvedLink[],
  blockers: ReadonlyMap<string, string>,
): string | undefined {
  const name = `"${node.id}" (${node.spec.type})`;
  if (node.spec.demand === 'pauses') return undefined;
  if (node.spec.demand !== 'passes') return `${name} emits on its own schedule`;
  if (inputs.length === 0) return `${name} has no input to hold back`;
  for (const input of inputs) {
    const upstream = blockers.get(input.from.node);
    if (upstream) return `${name} passes demand to ${upstream}`;
    if (input.queue.overflow !== 'block') {
      return `${name} passes demand, but its input ${input.id} is ${input.queue.overflow}, not block`;
    }
  }
  return undefined;
}
