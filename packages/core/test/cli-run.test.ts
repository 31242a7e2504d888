import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';

// The built bin, as users run it (`npx tsc -b packages/core` first; `pnpm test` builds).
const bin = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));
const pipelines = fileURLToPath(new URL('./fixtures/pipelines/', import.meta.url));
const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
const out = mkdtempSync(join(tmpdir(), 'beluga-run-'));

afterAll(() => rmSync(out, { recursive: true, force: true }));

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: build first (npx tsc -b packages/core)`);
  return new Promise((done) => {
    execFile(process.execPath, [bin, 'run', ...args], { cwd: pipelines, env }, (error, stdout, stderr) => {
      done({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

/** Starts a run, presses Ctrl-C `presses` times once the source reports progress, and returns the exit. */
function interrupt(file: string, presses: number): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [bin, 'run', file], {
    cwd: pipelines,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    const first = !stderr.includes('%');
    stderr += chunk.toString();
    if (first && stderr.includes('%')) {
      child.kill('SIGINT');
      if (presses === 2) setTimeout(() => child.kill('SIGINT'), 300);
    }
  });
  return new Promise((done) => child.on('exit', (code) => done({ code, stderr })));
}

test('run writes every bus event and non-audio frame as JSON lines, and shows progress', async () => {
  const events = join(out, 'events.jsonl');
  const result = await run(['valid.yaml', '--events', events]);
  expect(result).toEqual({
    code: 0,
    stdout: '',
    stderr: './input.wav: 20%\n./input.wav: 50%\n./input.wav: 70%\n./input.wav: 100%\n',
  });
  const lines = readFileSync(events, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  for (const line of lines) {
    expect(typeof line.time).toBe('number');
    expect(Number.isNaN(Date.parse(line.wallTime))).toBe(false);
  }
  const frames = lines
    .filter((l) => l.type === 'frame')
    .map((l) => `${l.node}.${l.port} ${l.frame.kind}${l.frame.text ? ` ${l.frame.text}` : ''}`);
  expect(frames).toEqual([
    'vad.events speech-start',
    'vad.events speech-stop',
    'agent.transcripts transcript heard 4 frames',
  ]);
  expect(lines.some((l) => l.type === 'frame' && l.frame.kind === 'audio')).toBe(false);
  const progress = lines
    .filter((l) => l.type === 'metric' && l.name === 'source.progress')
    .map((l) => [l.node, l.value]);
  expect(progress).toEqual([
    ['mic', 0.25],
    ['mic', 0.5],
    ['mic', 0.75],
    ['mic', 1],
  ]);
  expect(lines.at(-1)).toMatchObject({ type: 'pipeline-state', state: 'stopped' });
});

test('an invalid pipeline exits 1 without running', async () => {
  const result = await run(['wrong-types.yaml']);
  expect(result.code).toBe(1);
  expect(result.stderr.split('\n').at(-2)).toBe('wrong-types.yaml: 4 problems');
});

test('a node failing at run time exits 2 with its error', async () => {
  const result = await run(['fails-at-run-time.yaml']);
  expect(result.code).toBe(2);
  expect(result.stderr).toBe(
    './usb-mic.wav: 10%\n./usb-mic.wav: 20%\nerror [mic]: node "mic" (test.mic) failed: cannot read ./usb-mic.wav: device unplugged\n',
  );
});

test('a run that drops audio ends with a summary naming each link, the frames and the ms of audio it dropped', async () => {
  const result = await run(['lossy.yaml']);
  expect(result.code).toBe(0);
  const progress = Array.from({ length: 11 }, (_, i) => `./burst.wav: ${i * 10}%\n`);
  expect(result.stderr).toBe(
    [
      ...progress.slice(0, 2),
      'warning: queue mic.audio->slow.audio is full: dropping frames (drop-oldest)\n',
      ...progress.slice(2),
      'metrics: queue max 5  drops 44\n',
      'audio lost: 44 frames (880 ms of audio) dropped on 1 link\n',
      '  mic.audio->slow.audio: 44 frames (880 ms of audio), overflow drop-oldest\n',
    ].join(''),
  );
});

test('Ctrl-C drains the pipeline and exits 0', async () => {
  const result = await interrupt('long-run.yaml', 1);
  expect(result.code).toBe(0);
  expect(result.stderr).toContain('stopping: draining queues (Ctrl-C again to abort)\n');
});

test('a second Ctrl-C aborts a pipeline that does not drain, exit 130', async () => {
  const result = await interrupt('never-drains.yaml', 2);
  expect(result.code).toBe(130);
  expect(result.stderr).toContain('stopping: draining queues (Ctrl-C again to abort)\naborting\n');
});
