import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';

// The built bin, as users run it (`pnpm test` builds first).
const bin = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));
const outside = mkdtempSync(join(tmpdir(), 'beluga-serve-'));
afterAll(() => rmSync(outside, { recursive: true, force: true }));

describe('beluga serve from core', () => {
  test('without @beluga-voice/transport-websocket installed: exit 1 and says what to install', async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((done) =>
      execFile(
        process.execPath,
        [bin, 'serve', 'pipeline.yaml'],
        { cwd: outside, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' } },
        (error, _stdout, stderr) => done({ code: error ? ((error as { code?: number }).code ?? null) : 0, stderr }),
      ),
    );
    expect(result).toEqual({
      code: 1,
      stderr: 'beluga serve needs @beluga-voice/transport-websocket (npm i @beluga-voice/transport-websocket)\n',
    });
  });
});
