import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unreadableFile } from '../src/file-access.js';

const dir = mkdtempSync(join(tmpdir(), 'beluga-fifo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('checking that a path can be read', () => {
  it('does not open a FIFO (an open would wait for a writer and block the event loop)', () => {
    const fifo = join(dir, 'live.wav');
    execFileSync('mkfifo', [fifo]);
    // With no writer, opening it would hang this test until its timeout.
    expect(unreadableFile(fifo)).toBeUndefined();
  });

  it('still names a missing file and a folder', () => {
    expect(unreadableFile(join(dir, 'nope.wav'))).toEqual({ code: 'ENOENT', reason: 'no such file' });
    expect(unreadableFile(dir)).toEqual({ code: 'EISDIR', reason: 'is a directory' });
  });
});
