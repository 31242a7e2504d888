import type { IssuePath } from '../graph/model.js';

/** The value at `path` inside plain data, or `undefined`. */
export function lookup(value: unknown, path: IssuePath): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** A copy of `value` with `replacement` at `path` (copies only along the path). */
export function setAt(value: unknown, path: readonly PropertyKey[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<PropertyKey, unknown>;
  copy[head] = setAt(copy[head], rest, replacement);
  return copy;
}

/**
 * The concrete paths inside `value` that a dotted pattern names: `apiKey`, or
 * `providers.*.config.apiKey` where `*` stands for every index or key (nested secrets).
 */
export function expandPath(value: unknown, pattern: string): (string | number)[][] {
  const walk = (current: unknown, parts: readonly string[], at: (string | number)[]): (string | number)[][] => {
    if (parts.length === 0) return current === undefined ? [] : [at];
    if (current === null || typeof current !== 'object') return [];
    const [head, ...rest] = parts;
    const keys: (string | number)[] =
      head !== '*' ? [head] : Array.isArray(current) ? current.map((_, i) => i) : Object.keys(current);
    return keys.flatMap((key) => walk((current as Record<string | number, unknown>)[key], rest, [...at, key]));
  };
  return walk(value, pattern.split('.'), []);
}
