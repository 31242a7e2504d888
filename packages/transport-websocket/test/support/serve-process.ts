import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repo = fileURLToPath(new URL('../../../../', import.meta.url));
export const examples = `${repo}examples/`;
const bin = `${repo}packages/core/dist/cli/bin.js`;

export interface ServeProcess {
  readonly url: string;
  readonly child: ChildProcessWithoutNullStreams;
  /** stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or signal). */
  readonly exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): void;
}

/** Starts `beluga serve` as its own process (from the built CLI) and waits for "listening". */
export function startServe(args: readonly string[], env: Record<string, string> = {}): Promise<ServeProcess> {
  return startProcess(process.execPath, [bin, 'serve', ...args, '--port', '0'], { name: 'beluga serve', env });
}

/**
 * Starts a server process in examples/ and waits for the stdout line `ready` matches (its first
 * group is the URL); rejects with everything it printed if it exits first.
 */
export async function startProcess(
  command: string,
  args: readonly string[],
  options: { readonly name: string; readonly env?: Record<string, string>; readonly ready?: RegExp },
): Promise<ServeProcess> {
  const ready = options.ready ?? /listening (http:\/\/\S+)/;
  const child = spawn(command, args, { cwd: examples, env: { ...process.env, ...options.env } });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const check = () => {
      const match = ready.exec(text);
      if (match) resolve(match[1] as string);
    };
    child.stdout.on('data', check);
    void exited.then((code) => reject(new Error(`${options.name} exited with ${code}:\n${text}`)));
  });
  return { url, child, output: () => text, exited, kill: (signal = 'SIGTERM') => child.kill(signal) };
}
