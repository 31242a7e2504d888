import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isTool, type Tool } from './tool.js';

export interface ModuleToolSource {
  /** A path to an ES module, relative to the pipeline's folder. */
  readonly module: string;
  /** The export that holds the tool; without it, every tool the module exports. */
  readonly export?: string;
}

export async function loadModuleTools(source: ModuleToolSource, baseDir: string): Promise<Tool[]> {
  const path = isAbsolute(source.module) ? source.module : resolve(baseDir, source.module);
  let exports: Record<string, unknown>;
  try {
    exports = await import(pathToFileURL(path).href);
  } catch (error) {
    throw new Error(
      `cannot load tool module ${source.module} (${path}): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  // Sorted: module namespaces list exports alphabetically, module runners in declaration order.
  const names = Object.keys(exports).sort();
  if (source.export === undefined) {
    const tools = names.map((name) => exports[name]).filter(isTool);
    if (tools.length === 0) {
      throw new Error(`tool module ${source.module} exports no tool (exports: ${names.join(', ') || 'none'})`);
    }
    return tools;
  }
  if (!names.includes(source.export)) {
    throw new Error(
      `tool module ${source.module} has no export "${source.export}" (exports: ${names.join(', ') || 'none'})`,
    );
  }
  const value = exports[source.export];
  if (!isTool(value)) {
    throw new Error(
      `export "${source.export}" of ${source.module} is not a tool: build it with defineTool from @beluga-voice/nodes-tools`,
    );
  }
  return [value];
}
