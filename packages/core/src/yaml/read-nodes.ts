import { type Document, isMap, isPair, isScalar, type Node, type YAMLMap } from 'yaml';
import type { z } from 'zod';
import type { IssuePath, NodeDecl } from '../graph/model.js';
import type { Registry } from '../registry.js';
import { registerSecret } from '../secrets.js';
import type { FileIssue } from './file-issue.js';
import type { DocumentInterpolation } from './interpolate.js';
import { expandPath, lookup, setAt } from './object-path.js';
import type { ParsedPipeline } from './parse-pipeline.js';
import { nodeDeclSchema, normalizeOnError } from './pipeline-file.js';
import { structureIssues } from './structure-issues.js';

/**
 * The node declarations of the file, in order. A declaration that is malformed is reported and
 * its id added to `skipped`; secret config values are registered so that nothing prints them.
 */
export function readNodes(
  parsed: ParsedPipeline,
  doc: Document.Parsed,
  registry: Registry,
  issues: FileIssue[],
  skipped: Set<string>,
): NodeDecl[] {
  const map = doc.get('nodes', true) as Node | undefined;
  if (!isMap(map)) return [];
  const nodes: NodeDecl[] = [];
  const seen = new Set<string>();
  for (const pair of (map as YAMLMap).items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    const id = String(pair.key.value);
    const path = ['nodes', id];
    if (seen.has(id)) continue;
    seen.add(id);
    const raw = (pair.value as Node | null)?.toJS(doc) ?? null;
    const decl = nodeDeclSchema.safeParse(raw);
    if (!decl.success) {
      skipped.add(id);
      const exists = (p: IssuePath) => lookup(raw, p.slice(2)) !== undefined;
      for (const s of structureIssues(nodeDeclSchema, decl.error.issues, path, exists)) {
        issues.push(parsed.issueAt(s.path, s.target, 'invalid-pipeline', s.message, s.fix));
      }
      continue;
    }
    // The config as written, not as zod's record copied it: that copy turns a `__proto__` key into
    // the object's prototype, and the node's schema would never see (and report) it.
    const written = (raw as { config?: unknown }).config ?? undefined;
    const config = fitWholeVariables(written, registry.get(decl.data.type)?.config, path, parsed.variables);
    for (const pattern of registry.get(decl.data.type)?.secrets ?? []) {
      for (const at of expandPath(config, pattern)) {
        const value = lookup(config, at);
        if (typeof value === 'string') registerSecret(value);
      }
    }
    nodes.push({
      id,
      type: decl.data.type,
      ...(config !== undefined ? { config } : {}),
      ...(decl.data.onError !== undefined ? { onError: normalizeOnError(decl.data.onError) } : {}),
      path,
    });
  }
  return nodes;
}

/**
 * A value that is exactly one `${VAR}` reads as a number or boolean when it looks like one;
 * where the node's schema wants a string there instead, it gets the string back.
 */
function fitWholeVariables(
  config: unknown,
  schema: z.ZodType | undefined,
  nodePath: IssuePath,
  variables: DocumentInterpolation,
): unknown {
  if (!schema || config === undefined || variables.wholeVariables.size === 0) return config;
  const result = schema.safeParse(config);
  if (result.success) return config;
  let fitted: unknown = config;
  for (const issue of result.error.issues) {
    if (issue.code !== 'invalid_type' || issue.expected !== 'string') continue;
    const relative = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    const whole = variables.wholeVariables.get(JSON.stringify([...nodePath, 'config', ...relative]));
    if (whole) fitted = setAt(fitted, relative, whole.text);
  }
  return fitted;
}
