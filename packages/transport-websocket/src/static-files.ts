import { readFile } from 'node:fs/promises';

/** The browser client shipped in the package's `public/` folder: plain files, no build step. */
const FILES: Readonly<Record<string, { file: string; type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/client.js': { file: 'client.js', type: 'text/javascript; charset=utf-8' },
  '/worklet.js': { file: 'worklet.js', type: 'text/javascript; charset=utf-8' },
};

const PUBLIC = new URL('../public/', import.meta.url);

export async function staticFile(path: string): Promise<{ body: Buffer; type: string } | undefined> {
  const entry = FILES[path];
  if (!entry) return undefined;
  return { body: await readFile(new URL(entry.file, PUBLIC)), type: entry.type };
}
