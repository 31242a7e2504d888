import { type Document, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import type { IssuePath } from '../graph/model.js';
import { parseChain } from './link-chain.js';

export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/**
 * Maps issue paths to line and column in the YAML source. Link hops use the path
 * `['links', item, 'chain', hop, 'from' | 'to']`, which points into the chain text itself.
 */
export class SourceMap {
  constructor(
    private readonly doc: Document.Parsed,
    private readonly source: string,
    private readonly lines: LineCounter,
  ) {}

  at(offset: number): SourcePosition {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  /**
   * Where `path` is: its key for `'key'`, its value otherwise. When the path does not exist
   * (a missing key), the key of the deepest pair that does.
   */
  of(path: IssuePath, target: 'key' | 'value' = 'value'): SourcePosition {
    return this.at(this.offsetOf(path, target));
  }

  private offsetOf(path: IssuePath, target: 'key' | 'value'): number {
    if (path[0] === 'links' && typeof path[1] === 'number' && path[2] === 'chain' && typeof path[3] === 'number') {
      return this.hopOffset(path[1], path[3], path[4]);
    }
    let node = this.doc.contents as Node | null;
    let key: Node | null = null;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) return start(key ?? node);
        key = pair.key as Node;
        node = pair.value as Node | null;
        if (!node) return start(key);
      } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
        key = null;
        node = node.items[segment] as Node;
      } else {
        return start(key ?? node);
      }
    }
    return start(target === 'key' && key ? key : node);
  }

  private hopOffset(item: number, hop: number, side: string | number | undefined): number {
    if (side === 'queue' || side === 'feedback') return this.offsetOf(['links', item, side], 'value');
    const links = this.doc.get('links', true);
    const entry = isSeq(links) ? (links.items[item] as Node | undefined) : undefined;
    const scalar = isMap(entry) ? (entry.get('chain', true) as Node | undefined) : entry;
    if (!isScalar(scalar) || typeof scalar.value !== 'string') return start(entry ?? null);
    const parsed = parseChain(scalar.value);
    const at = start(scalar);
    if (!parsed.ok) return at;
    const raw = this.source.slice(at, scalar.range?.[1] ?? at);
    const wanted = side === 'to' ? hop + 1 : hop;
    let cursor = 0;
    for (let i = 0; i < parsed.endpoints.length; i++) {
      const found = raw.indexOf(parsed.endpoints[i].text, cursor);
      if (found < 0) return at;
      if (i === wanted) return at + found;
      cursor = found + parsed.endpoints[i].text.length;
    }
    return at;
  }
}

function start(node: Node | null): number {
  return node?.range?.[0] ?? 0;
}
