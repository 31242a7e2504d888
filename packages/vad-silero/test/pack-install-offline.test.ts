import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'beluga-vad-silero-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const run = (cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) =>
  execFileSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 240_000,
    env: { ...process.env, ...env },
  });

function app(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
  return dir;
}

describe('@beluga-voice/vad-silero from its tarball with plain npm', () => {
  it('installs offline with install scripts on, without onnxruntime-node, and finds speech on its WebAssembly kernel', () => {
    const tarballs = ['core', 'nodes-audio', 'vad-silero'].map((p) => {
      const out = run('pnpm', ['pack', '--pack-destination', work], join(root, 'packages', p));
      const file = out.trim().split('\n').at(-1) as string;
      return file.startsWith('/') ? file : join(work, file);
    });
    const npm = ['install', '--no-audit', '--no-fund', '--cache', join(work, 'npm-cache'), ...tarballs];
    // The first install fills a cache of its own; the second must need nothing else: no registry,
    // and an unreachable proxy for any install script that would download something.
    run('npm', npm, app('warm'));
    const dir = app('offline');
    run('npm', [...npm, '--offline'], dir, { HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9' });
    expect(existsSync(join(dir, 'node_modules', 'onnxruntime-node'))).toBe(false);
    expect(existsSync(join(dir, 'node_modules', '@beluga-voice', 'vad-silero', 'model', 'LICENSE'))).toBe(true);
    // The kernel ships built: without the .wasm it would fall back to JavaScript, several times slower.
    expect(existsSync(join(dir, 'node_modules', '@beluga-voice', 'vad-silero', 'wasm', 'silero.wasm'))).toBe(true);

    copyFileSync(join(root, 'fixtures/audio/single-utterance-16k.wav'), join(dir, 'input.wav'));
    writeFileSync(
      join(dir, 'vad.yaml'),
      [
        'version: 1',
        'name: packed-vad',
        'nodes:',
        '  mic: { type: audio.file-source, config: { path: ./input.wav, pace: fast } }',
        '  vad: { type: audio.vad-silero }',
        '  out: { type: audio.null-sink }',
        'links:',
        // A fast source into a busy VAD: the lossless queue holds the file back instead of dropping.
        '  - { chain: "mic -> vad", queue: { max: 50, overflow: block } }',
        '  - vad -> out',
        '',
      ].join('\n'),
    );
    run('npx', ['--no-install', 'beluga', 'run', 'vad.yaml', '--events', 'events.jsonl'], dir);
    const frames = readFileSync(join(dir, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((e) => e.type === 'frame' && e.node === 'vad' && e.port === 'events')
      .map((e) => e.frame);
    expect(frames.map((f) => f.kind)).toEqual(['speech-start', 'speech-stop']);
    // segments.json: speech from 500 to 2599 ms.
    expect(Math.abs(frames[0].timestamp - 500)).toBeLessThanOrEqual(30);
    expect(Math.abs(frames[1].timestamp - 2599)).toBeLessThanOrEqual(30);
  }, 480_000);
});
