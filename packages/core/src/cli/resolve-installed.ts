import { createRequire } from 'node:module';

/**
 * The path of `specifier` as installed next to the first of `bases` that has it: the CLI finds the
 * optional packages it delegates to (mocks, `serve`) beside the pipeline or beside this core.
 */
export function resolveFrom(bases: readonly string[], specifier: string): string | undefined {
  for (const base of bases) {
    try {
      return createRequire(base).resolve(specifier);
    } catch {
      // not installed there; try the next place
    }
  }
  return undefined;
}
