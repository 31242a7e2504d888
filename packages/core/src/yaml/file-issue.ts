import type { GraphIssueCode } from '../graph/model.js';
import { redact } from '../secrets.js';

/** Problems only a pipeline file can have, on top of the graph's own. */
export type FileIssueCode =
  | GraphIssueCode
  | 'yaml-syntax'
  | 'duplicate-key'
  | 'invalid-pipeline'
  | 'invalid-link'
  | 'missing-variable'
  | 'invalid-variable'
  | 'plugin'
  | 'invalid-encoding'
  | 'unusable-input';

/** One problem in a pipeline file, at a 1-based line and column. */
export interface FileIssue {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly code: FileIssueCode;
  /** How to fix it, when known. */
  readonly fix?: string;
}

/** `file:line:column  message (fix)  [code]`, with every registered secret masked. */
export function formatFileIssue(issue: FileIssue): string {
  const fix = issue.fix ? ` (${issue.fix})` : '';
  return redact(`${issue.file}:${issue.line}:${issue.column}  ${issue.message}${fix}  [${issue.code}]`);
}

/** One line per issue, in file order. */
export function formatFileIssues(issues: readonly FileIssue[]): string {
  return sortIssues(issues).map(formatFileIssue).join('\n');
}

export function sortIssues(issues: readonly FileIssue[]): FileIssue[] {
  return [...issues].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}
