import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const packages = ['core', 'nodes-audio', 'nodes-tools', 'provider-openai-realtime', 'provider-gemini-live'];
const work = mkdtempSync(join(tmpdir(), 'beluga-pack-'));

afterAll(() => rmSync(work, { recursive: true, force: true }));

const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });

describe('every package installs from its tarball with plain npm, outside the workspace', () => {
  it('packs, installs, lists nodes with npx beluga, and runs a YAML pipeline end to end', () => {
    const tarballs = packages.map((p) => {
      const out = run('pnpm', ['pack', '--pack-destination', work], join(root, 'packages', p));
      const file = out.trim().split('\n').at(-1) as string;
      return file.startsWith('/') ? file : join(work, file);
    });
    const app = join(work, 'app');
    run('mkdir', ['-p', app], work);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    // Install scripts stay off: onnxruntime-node's would try to download CUDA files.
    run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', ...tarballs], app);
    const installed = readdirSync(join(app, 'node_modules', '@beluga-voice')).sort();
    expect(installed).toEqual([
      'core',
      'nodes-audio',
      'nodes-tools',
      'provider-gemini-live',
      'provider-openai-realtime',
    ]);

    const nodes = JSON.parse(run('npx', ['--no-install', 'beluga', 'nodes', '--json'], app)) as Array<{ type: string }>;
    const types = nodes.map((n) => n.type);
    for (const t of [
      'audio.file-source',
      'audio.resample',
      'audio.vad-energy',
      'provider.echo',
      'provider.failover',
      'provider.gemini-live',
      'provider.openai-realtime',
      'tools.router',
    ]) {
      expect(types).toContain(t);
    }

    copyFileSync(join(root, 'fixtures/audio/single-utterance-16k.wav'), join(app, 'input.wav'));
    writeFileSync(
      join(app, 'echo.yaml'),
      [
        'version: 1',
        'name: packed-echo',
        'nodes:',
        '  mic:   { type: audio.file-source, config: { path: ./input.wav, pace: fast } }',
        '  vad:   { type: audio.vad-energy }',
        '  up:    { type: audio.resample, config: { sampleRate: 24000 } }',
        '  agent: { type: provider.echo, config: { sampleRate: 24000, latencyMs: 100 } }',
        '  out:   { type: audio.file-sink, config: { path: ./out/echo.wav } }',
        'links:',
        '  - mic -> vad -> up -> agent -> out',
        '',
      ].join('\n'),
    );
    run('npx', ['--no-install', 'beluga', 'run', 'echo.yaml'], app);
    const wav = readFileSync(join(app, 'out', 'echo.wav'));
    expect(wav.subarray(0, 4).toString()).toBe('RIFF');
    expect(wav.readUInt32LE(24)).toBe(24000);
    // The echo of a 2.1 s utterance is about 2.1 s of 24 kHz pcm16 audio.
    const dataBytes = wav.readUInt32LE(40);
    expect(dataBytes / 48_000).toBeGreaterThan(1.5);
  }, 300_000);
});
