import type { Graph } from '../graph/graph.js';
import { errorMessage } from '../secrets.js';
import type { FileIssue } from './file-issue.js';
import type { ParsedPipeline } from './parse-pipeline.js';

/**
 * Runs each node's `check` (the files it reads, the programs it starts), as `create` would find
 * them at run time, and places every problem at the config key it concerns.
 */
export async function checkNodeResources(graph: Graph, parsed: ParsedPipeline, baseDir: string): Promise<FileIssue[]> {
  const inserted = new Set(graph.inserted.map((c) => c.node));
  const issues: FileIssue[] = [];
  for (const node of graph.nodes.values()) {
    // Converters inserted by autoConvert read nothing and have no place in the file.
    if (!node.spec.check || inserted.has(node.id)) continue;
    const label = `node "${node.id}" (${node.spec.type})`;
    try {
      for (const problem of await node.spec.check(node.config, { baseDir })) {
        const path = ['nodes', node.id, 'config', ...problem.path];
        issues.push(parsed.issueAt(path, 'value', 'unusable-input', `${label}: ${problem.message}`, problem.fix));
      }
    } catch (error) {
      const message = `${label}: its check failed: ${errorMessage(error)}`;
      issues.push(parsed.issueAt(['nodes', node.id], 'key', 'unusable-input', message));
    }
  }
  return issues;
}
