import { type Document, isMap, isPair, isScalar, LineCounter, parseDocument } from 'yaml';
import type { IssuePath } from '../graph/model.js';
import { blamedAlias, isAliasLimitError, MAX_ALIAS_EXPANSIONS } from './alias-bomb.js';
import type { FileIssue, FileIssueCode } from './file-issue.js';
import { type DocumentInterpolation, type Env, interpolateDocument } from './interpolate.js';
import { lookup } from './object-path.js';
import { type PipelineFile, pipelineFileSchema } from './pipeline-file.js';
import { SourceMap } from './source-map.js';
import { structureIssues } from './structure-issues.js';
import type { Utf8Error } from './utf8.js';

/** A pipeline file parsed, interpolated and checked at the top level, with positions kept for later issues. */
export interface ParsedPipeline {
  readonly file: string;
  readonly doc?: Document.Parsed;
  readonly data?: Partial<PipelineFile>;
  readonly plugins: readonly string[];
  readonly issues: FileIssue[];
  readonly variables: DocumentInterpolation;
  issueAt(path: IssuePath, target: 'key' | 'value', code: FileIssueCode, message: string, fix?: string): FileIssue;
}

export function parsePipeline(text: string, file: string, env: Env): ParsedPipeline {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, keepSourceTokens: true, prettyErrors: false });
  const map = new SourceMap(doc, text, lines);
  const issueAt = (path: IssuePath, target: 'key' | 'value', code: FileIssueCode, message: string, fix?: string) => ({
    file,
    ...map.of(path, target),
    message,
    code,
    ...(fix ? { fix } : {}),
  });
  const atOffset = (offset: number, code: FileIssueCode, message: string) => ({
    file,
    ...map.at(offset),
    message,
    code,
  });
  const issues: FileIssue[] = [];
  const syntax = doc.errors.filter((e) => e.code !== 'DUPLICATE_KEY');
  const empty = {
    file,
    plugins: [],
    issues,
    issueAt,
    variables: { problems: [], wholeVariables: new Map(), templates: new Map() },
  };
  if (syntax.length > 0) {
    // Only the first: after a syntax error the parser's view of the rest of the file is unreliable,
    // and what it reports next is mostly a consequence of the first error.
    const issue = atOffset(syntax[0].pos[0], 'yaml-syntax', syntax[0].message);
    const unquoted = /[{[][^\n]*(^|[\s:,[{])\$\{/.test(text.split('\n')[issue.line - 1] ?? '');
    const fix = 'quote values that use ${…} inside { } or [ ]: "${NAME}"';
    issues.push(unquoted ? { ...issue, fix } : issue);
    return empty;
  }
  const nodeKeys = new Set(mapKeyOffsets(doc.get('nodes', true)));
  for (const error of doc.errors) {
    const key =
      /^(?:"([^"]*)"|'([^']*)'|([^:\s,{}[\]]+))/
        .exec(text.slice(error.pos[0]))
        ?.slice(1)
        .find((k) => k !== undefined) ?? '';
    issues.push(
      nodeKeys.has(error.pos[0])
        ? atOffset(error.pos[0], 'duplicate-node', `node "${key}" is declared twice`)
        : atOffset(error.pos[0], 'duplicate-key', `duplicate key "${key}"`),
    );
  }
  const variables = interpolateDocument(doc, text, env);
  for (const p of variables.problems) {
    issues.push(
      p.kind === 'missing'
        ? {
            ...atOffset(p.offset, 'missing-variable', `environment variable ${p.text} is not set`),
            fix: `set ${p.text} or write \${${p.text}:-default}`,
          }
        : atOffset(p.offset, 'invalid-variable', `"${p.text}" is not \${NAME} or \${NAME:-default}`),
    );
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
  } catch (error) {
    if (!isAliasLimitError(error)) throw error;
    const alias = blamedAlias(doc);
    const name = alias ? `alias *${alias.source}` : 'the aliases';
    issues.push({
      ...atOffset(
        alias?.range?.[0] ?? 0,
        'yaml-syntax',
        `${name} expands aliases nested in aliases past ${MAX_ALIAS_EXPANSIONS} expansions (a "billion laughs" pattern)`,
      ),
      fix: 'write the repeated values out, or use aliases whose anchors hold no aliases',
    });
    return { ...empty, doc, variables };
  }
  if (raw === null || raw === undefined) {
    issues.push(atOffset(0, 'invalid-pipeline', 'the file is empty: a pipeline needs version: 1 and nodes'));
    return { ...empty, doc, variables };
  }
  const result = pipelineFileSchema.safeParse(raw);
  const exists = (path: IssuePath) => lookup(raw, path) !== undefined;
  if (!result.success) {
    for (const s of structureIssues(pipelineFileSchema, result.error.issues, [], exists)) {
      issues.push(issueAt(s.path, s.target, 'invalid-pipeline', s.message, s.fix));
    }
  }
  // Whatever is well-formed is still checked, so that one wrong top-level key hides nothing else.
  const top = typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const plugins = Array.isArray(top.plugins) ? top.plugins.filter((p): p is string => typeof p === 'string') : [];
  return { ...empty, doc, data: result.success ? result.data : pick(top), plugins, variables };
}

/** A file that could not be read as text: its one issue, and nothing to check further. */
export function undecodablePipeline(file: string, error: Utf8Error): ParsedPipeline {
  const hex = `0x${error.byte.toString(16).toUpperCase().padStart(2, '0')}`;
  const issue: FileIssue = {
    file,
    line: error.line,
    column: error.column,
    message: `the file is not valid UTF-8: byte ${hex} at byte offset ${error.offset}`,
    code: 'invalid-encoding',
    fix: error.utf16 ? 'save the file as UTF-8, not UTF-16' : 'save the file as UTF-8',
  };
  return {
    file,
    plugins: [],
    issues: [issue],
    variables: { problems: [], wholeVariables: new Map(), templates: new Map() },
    issueAt: () => issue,
  };
}

/** The top-level fields that are well-formed, when some are not. */
function pick(file: Record<string, unknown>): Partial<PipelineFile> {
  const shape = pipelineFileSchema.shape;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(shape) as (keyof typeof shape)[]) {
    if (shape[key].safeParse(file[key]).success) out[key] = file[key];
  }
  return out as Partial<PipelineFile>;
}

function mapKeyOffsets(map: unknown): number[] {
  if (!isMap(map)) return [];
  return map.items.flatMap((pair) => (isPair(pair) && isScalar(pair.key) && pair.key.range ? [pair.key.range[0]] : []));
}
