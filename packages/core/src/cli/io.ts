/** Where a command writes: injected so that commands stay testable and never touch globals directly. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where `-` reads a pipeline from (`beluga graph a.yaml --format yaml | beluga validate -`). */
  readonly stdin?: NodeJS.ReadableStream;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd(), env: process.env };
}

/** Ctrl-C and termination, from the process or a stand-in. */
export interface StopSignals {
  on(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

/** Thrown for a wrong command line; `main` prints it with the usage hint and exits 1. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
