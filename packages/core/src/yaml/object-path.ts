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
