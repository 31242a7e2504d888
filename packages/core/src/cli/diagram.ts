import type { Graph } from '../graph/graph.js';
import type { ResolvedLink } from '../graph/resolved.js';
import { limitText } from '../runtime/queue-settings.js';

export type DiagramFormat = 'mermaid' | 'dot';

function edgeLabel(link: ResolvedLink): string {
  const ports = link.from.port === link.to.port ? link.from.port : `${link.from.port} → ${link.to.port}`;
  return `${ports} (${limitText(link.queue)}, ${link.queue.overflow})`;
}

const mermaidText = (text: string) => text.replace(/"/g, '#quot;');

/** The graph as a Mermaid flowchart: nodes with their types, links with ports and queue policy. */
export function toMermaid(graph: Graph): string {
  const ids = new Map([...graph.nodes.keys()].map((id, i) => [id, `n${i}`]));
  const lines = ['flowchart LR'];
  for (const node of graph.nodes.values()) {
    lines.push(`  ${ids.get(node.id)}["${mermaidText(node.id)}<br/><small>${mermaidText(node.spec.type)}</small>"]`);
  }
  for (const link of graph.links) {
    const arrow = link.feedback ? '-.->' : '-->';
    lines.push(`  ${ids.get(link.from.node)} ${arrow}|"${mermaidText(edgeLabel(link))}"| ${ids.get(link.to.node)}`);
  }
  return `${lines.join('\n')}\n`;
}

const dotText = (text: string) => JSON.stringify(text);

/** The graph in Graphviz dot. */
export function toDot(graph: Graph): string {
  const lines = [`digraph ${dotText(graph.spec.name ?? 'pipeline')} {`, '  rankdir=LR;', '  node [shape=box];'];
  for (const node of graph.nodes.values()) {
    lines.push(`  ${dotText(node.id)} [label=${dotText(`${node.id}\n${node.spec.type}`)}];`);
  }
  for (const link of graph.links) {
    const style = link.feedback ? ', style=dashed' : '';
    lines.push(`  ${dotText(link.from.node)} -> ${dotText(link.to.node)} [label=${dotText(edgeLabel(link))}${style}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
