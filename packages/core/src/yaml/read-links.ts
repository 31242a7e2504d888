import { type Document, isMap, isScalar, type Node } from 'yaml';
import type { IssuePath, LinkDecl } from '../graph/model.js';
import type { FileIssue } from './file-issue.js';
import { parseChain } from './link-chain.js';
import { lookup } from './object-path.js';
import type { ParsedPipeline } from './parse-pipeline.js';
import { linkObjectSchema, normalizeQueue, type PipelineFile } from './pipeline-file.js';
import { structureIssues } from './structure-issues.js';

/**
 * One `LinkDecl` per hop of every chain. Each hop's path is `['links', item, 'chain', hop]` so that
 * graph issues about it point into the chain text; `hops` maps those paths back to the hops.
 * The hops of a link rejected for its other fields (a bad queue) go to `rejected`: the file does
 * wire those inputs, so they must not also be reported as unlinked.
 */
export function readLinks(
  parsed: ParsedPipeline,
  doc: Document.Parsed,
  data: Partial<PipelineFile>,
  issues: FileIssue[],
  hops: Map<string, LinkDecl>,
  rejected: LinkDecl[] = [],
): LinkDecl[] {
  const links: LinkDecl[] = [];
  (data.links ?? []).forEach((item, index) => {
    const path = ['links', index];
    let chain: string;
    let extra: Pick<LinkDecl, 'queue' | 'feedback'> = {};
    if (typeof item === 'string') {
      chain = item;
    } else if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      const link = linkObjectSchema.safeParse(item);
      if (!link.success) {
        const exists = (p: IssuePath) => lookup(item, p.slice(2)) !== undefined;
        for (const s of structureIssues(linkObjectSchema, link.error.issues, path, exists)) {
          issues.push(parsed.issueAt(s.path, s.target, 'invalid-link', s.message, s.fix));
        }
        rejected.push(...hopsOf((item as { chain?: unknown }).chain, index));
        return;
      }
      chain = link.data.chain;
      extra = {
        ...(link.data.queue ? { queue: normalizeQueue(link.data.queue) } : {}),
        ...(link.data.feedback !== undefined ? { feedback: link.data.feedback } : {}),
      };
    } else {
      issues.push(
        parsed.issueAt(
          path,
          'value',
          'invalid-link',
          'a link is a chain "a -> b.port -> c" or { chain, queue, feedback }',
        ),
      );
      return;
    }
    const result = parseChain(chain);
    if (!result.ok) {
      issues.push(chainIssue(parsed, doc, index, result.index, result.message));
      return;
    }
    for (let hop = 0; hop + 1 < result.endpoints.length; hop++) {
      const decl: LinkDecl = {
        from: result.endpoints[hop].endpoint,
        to: result.endpoints[hop + 1].endpoint,
        ...extra,
        path: ['links', index, 'chain', hop],
      };
      hops.set(JSON.stringify(decl.path), decl);
      links.push(decl);
    }
  });
  return links;
}

function hopsOf(chain: unknown, index: number): LinkDecl[] {
  if (typeof chain !== 'string') return [];
  const result = parseChain(chain);
  if (!result.ok) return [];
  return result.endpoints.slice(1).map((end, hop) => ({
    from: result.endpoints[hop].endpoint,
    to: end.endpoint,
    path: ['links', index, 'chain', hop],
  }));
}

/** Points a chain syntax error at the character it concerns when the chain is on one line. */
function chainIssue(
  parsed: ParsedPipeline,
  doc: Document.Parsed,
  index: number,
  at: number,
  message: string,
): FileIssue {
  const item = (doc.get('links', true) as { items?: Node[] } | undefined)?.items?.[index];
  const scalar = isMap(item) ? (item.get('chain', true) as Node | undefined) : item;
  const base = parsed.issueAt(['links', index, ...(isMap(item) ? ['chain'] : [])], 'value', 'invalid-link', message);
  if (!isScalar(scalar) || scalar.type === 'BLOCK_FOLDED' || scalar.type === 'BLOCK_LITERAL') return base;
  const shift = scalar.type === 'PLAIN' ? 0 : 1;
  return { ...base, column: base.column + shift + at };
}
