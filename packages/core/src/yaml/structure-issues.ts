import type { z } from 'zod';
import type { IssuePath } from '../graph/model.js';
import { objectKeysAt } from '../graph/zod-paths.js';
import { didYouMean } from '../suggest.js';

/** A problem with the file's structure, before any node config is looked at. */
export interface StructureIssue {
  readonly message: string;
  readonly fix?: string;
  readonly path: IssuePath;
  /** Unknown keys point at the key; everything else at the value. */
  readonly target: 'key' | 'value';
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a map',
  record: 'a map',
  array: 'a list',
};

/** What a value must be, where zod's own message (a union, a pattern) says nothing useful. */
const HINTS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^nodes\.[^.]+\.onError$/, 'must be fail, restart or ignore, or { policy, maxRestarts, backoffMs }'],
  [/\.queue\.max$/, 'must be a frame count (40) or a duration ("400ms", "2s")'],
];

export function pathText(path: IssuePath): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${key}` : key),
    '',
  );
}

/**
 * Readable messages for zod issues raised by `schema` on the value at `prefix` in the file.
 * `exists(path)` tells a missing key from a wrong value.
 */
export function structureIssues(
  schema: z.ZodType,
  issues: readonly z.core.$ZodIssue[],
  prefix: IssuePath,
  exists: (path: IssuePath) => boolean,
): StructureIssue[] {
  const out: StructureIssue[] = [];
  for (const issue of issues) {
    const relative = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    const path = [...prefix, ...relative];
    const where = pathText(path);
    if (issue.code === 'unrecognized_keys') {
      const allowed = objectKeysAt(schema, issue.path);
      for (const key of issue.keys) {
        const fix = didYouMean(key, allowed) ?? `allowed keys: ${allowed.join(', ')}`;
        out.push({
          message: `unknown key "${key}"${where ? ` in ${where}` : ''}`,
          fix,
          path: [...path, key],
          target: 'key',
        });
      }
      continue;
    }
    if (!exists(path) && issue.code === 'invalid_type') {
      const parent = pathText(path.slice(0, -1));
      out.push({
        message: `missing key "${String(path.at(-1))}"${parent ? ` in ${parent}` : ''}`,
        path,
        target: 'value',
      });
      continue;
    }
    const hint = HINTS.find(([pattern]) => pattern.test(where))?.[1];
    out.push({ message: `${where || 'the file'} ${hint ?? describe(issue)}`, path, target: 'value' });
  }
  return out;
}

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'invalid_union':
      return 'has an unexpected form';
    default:
      return `is invalid: ${issue.message}`;
  }
}
