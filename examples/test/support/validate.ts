import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Run from examples/, which installs every node package, as a user's project would.
const examples = fileURLToPath(new URL('../../', import.meta.url));
const bin = fileURLToPath(new URL('../../../packages/core/dist/cli/bin.js', import.meta.url));

/** `beluga validate <file>` as a user runs it: the built bin, from examples/. */
export function validate(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [bin, 'validate', file], { cwd: examples }, (error, stdout, stderr) => {
      done({ code: error ? Number((error as { code?: number }).code) : 0, stdout, stderr });
    });
  });
}
