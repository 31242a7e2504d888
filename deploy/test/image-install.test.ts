import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repo } from './support/cluster.js';

const work = mkdtempSync(join(tmpdir(), 'beluga-image-'));
let serve: ChildProcess | undefined;
afterAll(() => {
  serve?.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

const run = (cmd: string, args: string[], cwd = repo) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });

// What the Dockerfile's final stage does (no Docker engine is needed): pack the workspace, install
// the tarballs with plain npm and production dependencies only, then run `beluga serve` on a pipeline.
describe('the worker image install (deploy/docker)', () => {
  it('installs production dependencies only and serves the baked-in pipeline', async () => {
    const packs = join(work, 'packs');
    const app = join(work, 'app');
    run('bash', ['deploy/docker/pack.sh', packs]);
    run('bash', ['deploy/docker/install-app.sh', app, packs]);

    const scoped = readdirSync(join(app, 'node_modules', '@beluga-voice')).sort();
    const workspace = readdirSync(join(repo, 'packages')).map((p) => p);
    expect(scoped).toEqual(workspace.sort());
    for (const dev of ['vitest', 'typescript', '@biomejs', 'puppeteer-core', 'kubernetes-models', 'openai']) {
      expect(existsSync(join(app, 'node_modules', dev)), `${dev} is a dev dependency`).toBe(false);
    }

    run('cp', [join(repo, 'deploy/k8s/base/pipeline.yaml'), join(app, 'pipeline.yaml')]);
    const child = spawn(join(app, 'node_modules/.bin/beluga'), ['serve', 'pipeline.yaml', '--port', '0'], { cwd: app });
    serve = child;
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening (http:\/\/\S+)/.exec(output);
        if (match) resolve(match[1] as string);
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => reject(new Error(`beluga serve exited with ${code}:\n${output}`)));
    });
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, activeSessions: 0 });
    const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 300_000);
});
