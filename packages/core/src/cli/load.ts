import { discoverNodes } from '../discovery/discover.js';
import type { Registry } from '../registry.js';
import { errorMessage } from '../secrets.js';
import { formatFileIssues } from '../yaml/file-issue.js';
import { type LoadedPipeline, type LoadFileOptions, loadPipelineFile, loadPipelineSource } from '../yaml/loader.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './io.js';

/** The name `-` (standard input) is shown as in messages. */
export const STDIN_NAME = '<stdin>';

/**
 * Loads a pipeline for a command (`-` reads standard input; its relative paths start from the cwd);
 * prints every problem and returns the exit code when it is not runnable.
 */
export async function loadForCli(
  file: string,
  io: CliIo,
  options: Pick<LoadFileOptions, 'checkResources'> = {},
): Promise<LoadedPipeline | typeof EXIT.invalid> {
  let loaded: LoadedPipeline;
  try {
    loaded =
      file === '-'
        ? await loadPipelineSource(await readAll(io.stdin), STDIN_NAME, { ...options, env: io.env, baseDir: io.cwd })
        : await loadPipelineFile(file, { ...options, env: io.env });
  } catch (error) {
    io.stderr.write(`${file}: cannot read the pipeline: ${errorMessage(error)}\n`);
    return EXIT.invalid;
  }
  for (const warning of loaded.warnings) io.stderr.write(`warning: ${warning}\n`);
  if (loaded.issues.length > 0) {
    const count = loaded.issues.length;
    io.stderr.write(`${formatFileIssues(loaded.issues)}\n${file}: ${count} problem${count === 1 ? '' : 's'}\n`);
    return EXIT.invalid;
  }
  return loaded;
}

/** The node types installed where the command runs (for `nodes` and `schema`). */
export async function installedRegistry(io: CliIo): Promise<Registry> {
  const discovery = await discoverNodes({ baseDir: io.cwd, searchFrom: [io.cwd] });
  for (const problem of discovery.problems) io.stderr.write(`warning: ${problem.message}\n`);
  return discovery.registry;
}

async function readAll(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  if (!stream) throw new Error('no standard input to read the pipeline from');
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
