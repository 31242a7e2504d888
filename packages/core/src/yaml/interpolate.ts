import { type Document, isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import type { IssuePath } from '../graph/model.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface VariableProblem {
  /** `missing` (unset, no default) or `invalid` (not `${NAME}` / `${NAME:-default}`). */
  readonly kind: 'missing' | 'invalid';
  /** The variable name, or the malformed text. */
  readonly text: string;
  /** Index of the `${` in the interpolated string. */
  readonly index: number;
}

export interface Interpolated {
  readonly value: string;
  readonly problems: readonly VariableProblem[];
  /** The whole string was one `${…}`: its value may stand for a number or a boolean. */
  readonly whole: boolean;
}

// `call.NAME` names a per-call parameter (`beluga serve`: Twilio customParameters, browser query).
const REFERENCE = /^((?:call\.)?[A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/;

/**
 * Replaces `${NAME}` and `${NAME:-default}` (the default applies when NAME is unset or empty, as
 * in a shell). `$${` stands for a literal `${`.
 */
export function interpolate(text: string, env: Env): Interpolated {
  let value = '';
  let references = 0;
  const problems: VariableProblem[] = [];
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      value += '${';
      i += 3;
      continue;
    }
    if (!text.startsWith('${', i)) {
      value += text[i];
      i += 1;
      continue;
    }
    const close = text.indexOf('}', i + 2);
    if (close < 0) {
      problems.push({ kind: 'invalid', text: text.slice(i), index: i });
      value += text.slice(i);
      break;
    }
    const inner = text.slice(i + 2, close);
    const match = REFERENCE.exec(inner);
    references += 1;
    if (!match) {
      problems.push({ kind: 'invalid', text: text.slice(i, close + 1), index: i });
    } else {
      const [, name, fallback] = match;
      const set = env[name];
      if (set !== undefined && (set !== '' || fallback === undefined)) value += set;
      else if (fallback !== undefined) value += fallback;
      else problems.push({ kind: 'missing', text: name, index: i });
    }
    i = close + 1;
  }
  const whole = references === 1 && /^\$\{[^}]*\}$/.test(text);
  return { value, problems, whole };
}

/** What a whole-variable value reads as: a number, a boolean, or the string itself. */
export function typedValue(text: string): string | number | boolean {
  if (/^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

export interface DocumentVariableProblem extends VariableProblem {
  readonly path: IssuePath;
  /** Offset in the source text of the `${`, or of the scalar when it cannot be found. */
  readonly offset: number;
}

export interface WholeVariable {
  /** The value as a string, for fields whose schema wants one. */
  readonly text: string;
  readonly typed: string | number | boolean;
}

export interface DocumentInterpolation {
  readonly problems: readonly DocumentVariableProblem[];
  /** Scalars that were exactly one variable, by `JSON.stringify(path)`. */
  readonly wholeVariables: ReadonlyMap<string, WholeVariable>;
  /** Every interpolated scalar as written (`${NAME:-default}` kept), by `JSON.stringify(path)`. */
  readonly templates: ReadonlyMap<string, string>;
}

/**
 * Interpolates every string scalar value of `doc` in place (map keys are left alone), keeping the
 * path and source offset of each problem so that all of them are reported at once.
 */
export function interpolateDocument(doc: Document.Parsed, source: string, env: Env): DocumentInterpolation {
  const problems: DocumentVariableProblem[] = [];
  const wholeVariables = new Map<string, WholeVariable>();
  const templates = new Map<string, string>();
  const walk = (node: Node | null | undefined, path: IssuePath): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isPair(pair)) walk(pair.value as Node | null, [...path, isScalar(pair.key) ? String(pair.key.value) : '?']);
      }
    } else if (isSeq(node)) {
      for (const [index, item] of node.items.entries()) walk(item as Node, [...path, index]);
    } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('${')) {
      const result = interpolate(node.value, env);
      templates.set(JSON.stringify(path), node.value);
      const start = node.range?.[0] ?? 0;
      const raw = source.slice(start, node.range?.[1] ?? start);
      let cursor = 0;
      for (const problem of result.problems) {
        const needle = problem.kind === 'missing' ? `\${${problem.text}` : problem.text;
        const found = raw.indexOf(needle, cursor);
        if (found >= 0) cursor = found + needle.length;
        problems.push({ ...problem, path, offset: found >= 0 ? start + found : start });
      }
      if (result.whole && result.problems.length === 0) {
        const typed = typedValue(result.value);
        wholeVariables.set(JSON.stringify(path), { text: result.value, typed });
        node.value = typed;
      } else {
        node.value = result.value;
      }
    }
  };
  walk(doc.contents as Node | null, []);
  return { problems, wholeVariables, templates };
}
