import { accessSync, closeSync, constants, openSync, statSync } from 'node:fs';

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a parent is not a directory',
};

/** A file-system error in words a user reads (`no such file`), its message when it has no code we know. */
export function fileErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return (code && REASONS[code]) ?? (error instanceof Error ? error.message : String(error));
}

/** Why `path` cannot be opened for reading as a file, with the error's code; undefined when it can. */
export function unreadableFile(path: string): { readonly code: string; readonly reason: string } | undefined {
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) return { code: 'EISDIR', reason: REASONS.EISDIR };
    // Opening a FIFO or a device can block until its other end appears: ask, don't open.
    if (stat.isFile()) closeSync(openSync(path, 'r'));
    else accessSync(path, constants.R_OK);
    return undefined;
  } catch (error) {
    return { code: (error as NodeJS.ErrnoException).code ?? 'UNKNOWN', reason: fileErrorReason(error) };
  }
}
