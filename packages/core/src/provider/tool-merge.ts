import type { ToolSpec } from './s2s.js';

/** A provider's configured tools first; a context tool with the same name replaces it. */
export function mergeTools(config: readonly ToolSpec[], extra: readonly ToolSpec[]): ToolSpec[] {
  const byName = new Map<string, ToolSpec>();
  for (const tool of [...config, ...extra]) byName.set(tool.name, tool);
  return [...byName.values()];
}
