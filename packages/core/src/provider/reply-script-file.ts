import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

interface WithReplies {
  readonly replies?: unknown;
}

/**
 * Reads a mock server's JSON reply script (`--script FILE.json`); WAV paths in its replies resolve
 * against the script's folder. Errors name the file and end with the command's usage line.
 */
export async function readReplyScriptFile<T extends WithReplies>(path: string, usage: string): Promise<T> {
  let script: T;
  try {
    script = JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new Error(`--script ${path}: ${reason}\n${usage}`);
  }
  if (!Array.isArray(script.replies)) return script;
  const replies = (script.replies as { audio?: { wav?: string } }[]).map((r) =>
    typeof r.audio?.wav === 'string' ? { ...r, audio: { wav: resolve(dirname(path), r.audio.wav) } } : r,
  );
  return { ...script, replies };
}
