import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
// Every published package of the workspace, so that a new one is covered the day it is added.
const packages = readdirSync(join(root, 'packages'))
  .filter((dir) => existsSync(join(root, 'packages', dir, 'package.json')))
  .filter((dir) => !JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')).private)
  .sort();
const work = mkdtempSync(join(tmpdir(), 'beluga-pack-'));
const tarballs = new Map<string, string>();

beforeAll(() => {
  for (const p of packages) {
    const out = run('pnpm', ['pack', '--pack-destination', work], join(root, 'packages', p));
    const file = out.trim().split('\n').at(-1) as string;
    tarballs.set(p, file.startsWith('/') ? file : join(work, file));
  }
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const run = (cmd: string, args: string[], cwd: string, env: Record<string, string> = {}) =>
  execFileSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 240_000,
    env: { ...process.env, ...env },
  });

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(dir, join(prefix, e.name)) : [join(prefix, e.name)],
  );
}

describe('every package tarball', () => {
  it('covers the workspace packages', () => {
    expect(packages).toEqual(
      expect.arrayContaining(['core', 'nodes-audio', 'nodes-tools', 'provider-openai-realtime']),
    );
  });

  it.each(packages)('%s ships the LICENSE and source maps whose sources it ships too', (p) => {
    const dest = join(work, 'extract', p);
    mkdirSync(dest, { recursive: true });
    run('tar', ['-xzf', tarballs.get(p) as string, '-C', dest], work);
    const pkg = join(dest, 'package');
    expect(readFileSync(join(pkg, 'LICENSE'), 'utf8')).toBe(readFileSync(join(root, 'LICENSE'), 'utf8'));
    expect(readFileSync(join(pkg, 'LICENSE'), 'utf8')).toContain('Copyright (c) 2026 Beluga Voice contributors');
    const maps = filesUnder(pkg).filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    const unresolved = maps.flatMap((map) => {
      const { sources, sourceRoot = '' } = JSON.parse(readFileSync(join(pkg, map), 'utf8')) as {
        sources: string[];
        sourceRoot?: string;
      };
      return sources
        .map((source) => resolve(dirname(join(pkg, map)), sourceRoot, source))
        .filter((source) => !source.startsWith(`${pkg}/`) || !existsSync(source))
        .map((source) => `${map} -> ${source}`);
    });
    expect(unresolved).toEqual([]);
  });
});

describe('every package installs from its tarball with plain npm, outside the workspace', () => {
  it('packs, installs, lists nodes with npx beluga, and runs a YAML pipeline end to end', () => {
    const app = join(work, 'app');
    run('mkdir', ['-p', app], work);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    // Install scripts stay off: onnxruntime-node's would try to download CUDA files.
    run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', ...tarballs.values()], app);
    const installed = readdirSync(join(app, 'node_modules', '@beluga-voice')).sort();
    expect(installed).toEqual(packages);

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
      'transport.twilio-in',
    ]) {
      expect(types).toContain(t);
    }

    // `beluga serve` is found in the installed transport package (here it gets as far as reading the file).
    const serve = spawnSync('npx', ['--no-install', 'beluga', 'serve', 'missing.yaml'], { cwd: app, encoding: 'utf8' });
    expect(serve.status).toBe(1);
    expect(serve.stderr).toContain('missing.yaml: cannot read the pipeline');

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

/** What each user file in `packed-apps/` prints (its last line, JSON). */
const expected: Record<string, (out: any) => void> = {
  core: (out) => expect(out).toEqual({ samples: [[200, -400, 32767]] }),
  'nodes-audio': (out) => {
    const input = readFileSync(join(root, 'fixtures/audio/single-utterance-16k.wav'));
    expect(out).toMatchObject({ riff: 'RIFF', format: { encoding: 'pcm16', sampleRate: 24000, channels: 1 } });
    expect(Math.abs(out.samples - (input.readUInt32LE(40) / 2) * 1.5)).toBeLessThan(100);
  },
  'nodes-tools': (out) => expect(out).toEqual({ c1: 'HELLO!', c2: '42' }),
  'provider-openai-realtime': (out) => expect(out).toEqual({ transcript: 'Hello from the mock.', audio: true }),
};

/** The package and, transitively, the workspace packages it names as peers (by folder). */
function withBelugaPeers(dir: string, seen = new Set<string>()): Set<string> {
  seen.add(dir);
  const manifest = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
  for (const peer of Object.keys(manifest.peerDependencies ?? {})) {
    const peerDir = peer.startsWith('@beluga-voice/') ? peer.slice('@beluga-voice/'.length) : undefined;
    if (peerDir && !seen.has(peerDir) && !manifest.peerDependenciesMeta?.[peer]?.optional)
      withBelugaPeers(peerDir, seen);
  }
  return seen;
}

/** A package with no user file of its own still has its entry points type-checked and loaded. */
function genericApp(name: string): string {
  return [
    `import * as api from '${name}';`,
    `import { nodes } from '${name}/nodes';`,
    `console.log(JSON.stringify({ exports: Object.keys(api).length > 0, nodes: nodes.map((n) => n.type) }));`,
    '',
  ].join('\n');
}

// A user's project: strict, declaration files checked too (skipLibCheck off), Node's own resolution.
const userTsconfig = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2023'],
    strict: true,
    skipLibCheck: false,
    noEmitOnError: true,
    outDir: 'build',
    types: ['node'],
    // @types/node from the workspace (a user would `npm i -D @types/node`); nothing else comes from it.
    typeRoots: [join(root, 'node_modules/@types')],
  },
  files: ['app.ts'],
};

describe('each package alone, as an npm user gets it', () => {
  it.each(packages)(
    '%s installs with plain npm (install scripts on) in an empty folder; a user file type-checks strictly and runs',
    (p) => {
      const app = join(work, `alone-${p}`);
      mkdirSync(app, { recursive: true });
      writeFileSync(join(app, 'package.json'), JSON.stringify({ name: `app-${p}`, private: true, type: 'module' }));
      // Its peers come from the registry (zod, rxjs) or, for @beluga-voice ones, from their tarballs.
      const install = [...withBelugaPeers(p)].map((dir) => tarballs.get(dir) as string);
      run('npm', ['install', '--no-audit', '--no-fund', ...install], app);
      expect(existsSync(join(app, 'node_modules/vitest'))).toBe(false);

      const name = JSON.parse(readFileSync(join(root, 'packages', p, 'package.json'), 'utf8')).name as string;
      const userFile = join(root, 'examples/test/packed-apps', `${p}.ts`);
      writeFileSync(join(app, 'app.ts'), existsSync(userFile) ? readFileSync(userFile, 'utf8') : genericApp(name));
      writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(userTsconfig, null, 2));
      copyFileSync(join(root, 'fixtures/audio/single-utterance-16k.wav'), join(app, 'input.wav'));
      const tsc = join(root, 'node_modules/typescript/bin/tsc');
      try {
        run(process.execPath, [tsc, '-p', 'tsconfig.json'], app);
      } catch (error) {
        throw new Error(`tsc failed for ${name}:\n${(error as { stdout?: string }).stdout ?? error}`);
      }
      const lines = run(process.execPath, ['build/app.js'], app).trim().split('\n');
      const out = JSON.parse(lines.at(-1) as string);
      if (expected[p]) expected[p](out);
      else expect(out.exports || out.nodes.length > 0).toBe(true);

      if (p === 'core') {
        const version = JSON.parse(readFileSync(join(root, 'packages/core/package.json'), 'utf8')).version;
        expect(run('npx', ['--no-install', 'beluga', '--version'], app)).toBe(`beluga ${version}\n`);
      }
    },
    240_000,
  );
});

describe('peer dependencies', () => {
  it('an app on zod 3 is told at install, naming the peer and the range', () => {
    const app = join(work, 'zod3-app');
    mkdirSync(app, { recursive: true });
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'zod3-app', private: true, type: 'module', dependencies: { zod: '^3.25.0' } }),
    );
    let stderr = '';
    try {
      run('npm', ['install', '--no-audit', '--no-fund', tarballs.get('core') as string], app);
    } catch (error) {
      stderr = String((error as { stderr?: string }).stderr);
    }
    expect(stderr).toContain('ERESOLVE');
    expect(stderr).toMatch(/peer zod@"\^4\.1\.0" from @beluga-voice\/core@0\.1\.0/);
  }, 120_000);
});
