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
export async function startServe(args: readonly string[], env: Record<string, string> = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [bin, 'serve', ...args, '--port', '0'], {
    cwd: examples,
    env: { ...process.env, ...env },
  });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const check = () => {
      const match = /listening (http:\/\/\S+)/.exec(text);
      if (match) resolve(match[1] as string);
    };
    child.stdout.on('data', check);
    void exited.then((code) => reject(new Error(`beluga serve exited with ${code}:\n${text}`)));
  });
  return { url, child, output: () => text, exited, kill: (signal = 'SIGTERM') => child.kill(signal) };
}
