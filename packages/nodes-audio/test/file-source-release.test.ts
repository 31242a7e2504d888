import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixture } from './audio-helpers.js';

// Runs against the built packages, in a child whose descriptor limit is 256 (`pnpm build` first).
const script = fileURLToPath(new URL('./support/restart-cycles.mjs', import.meta.url));
const dist = fileURLToPath(new URL('../dist/nodes.js', import.meta.url));

function cycles(count: number, mode: 'immediate' | 'started') {
  if (!existsSync(dist)) throw new Error(`${dist} is missing: build first (npx tsc -b packages/nodes-audio)`);
  const command = `ulimit -n 256 && exec "${process.execPath}" --expose-gc "$@"`;
  const args = ['-c', command, 'bash', script, fixture('single-utterance-16k.wav'), String(count), mode];
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    execFile('bash', args, { timeout: 120_000 }, (error, stdout, stderr) => {
      done({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

describe('audio.file-source releases its file before stop() resolves', () => {
  for (const mode of ['immediate', 'started'] as const) {
    it(`restarts a pipeline 400 times under a 256-descriptor limit (stop ${mode}): no pending close, nothing open`, async () => {
      const { code, stdout, stderr } = await cycles(400, mode);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const result = JSON.parse(stdout);
      expect(result).toMatchObject({ cycles: 400, maxPending: 0, maxOpen: 0 });
      expect(result.heapGrowthMb).toBeLessThan(8);
    });
  }
});
