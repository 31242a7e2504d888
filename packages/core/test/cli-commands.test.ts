import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hasTool } from './support/external-tool.js';

// The CLI is tested as users run it: the built bin (`npx tsc -b packages/core` first; `pnpm test` builds).
const bin = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));
const pipelines = fileURLToPath(new URL('./fixtures/pipelines/', import.meta.url));
const baseEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function beluga(args: string[], cwd = pipelines, env: Record<string, string> = {}): Promise<Result> {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: build first (npx tsc -b packages/core)`);
  return new Promise((done) => {
    execFile(process.execPath, [bin, ...args], { cwd, env: { ...baseEnv, ...env } }, (error, stdout, stderr) => {
      done({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

describe('beluga validate', () => {
  test('exits 0 and says what it checked', async () => {
    expect(await beluga(['validate', 'valid.yaml'])).toEqual({
      code: 0,
      stdout: 'valid.yaml: ok (6 nodes, 6 links)\n',
      stderr: '',
    });
  });

  test('warns about a block link whose producer cannot pause, naming the link and its place in the file; the pipeline stays valid', async () => {
    expect(await beluga(['validate', 'block-unpausable.yaml'])).toEqual({
      code: 0,
      stdout: 'block-unpausable.yaml: ok (2 nodes, 1 links)\n',
      stderr:
        'warning: block-unpausable.yaml:8:12  link mic.audio->slow.audio: overflow block cannot hold back its producer: "mic" (test.mic) emits on its own schedule; ' +
        'at run time the queue keeps its bound (100 ms) by dropping the oldest audio, counted as drops ' +
        '(block right after a pausable source (audio.file-source) or nodes that pass demand to one (audio.resample, audio.reframe, the VADs, G.711), ' +
        'or declare drop-oldest to accept the loss)  [block-cannot-pause]\n',
    });
  });

  test('exits 1 and lists every problem as file:line:column', async () => {
    const result = await beluga(['validate', 'missing-env.yaml']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      [
        'missing-env.yaml:4:43  environment variable AUDIO_DIR is not set (set AUDIO_DIR or write ${AUDIO_DIR:-default})  [missing-variable]',
        'missing-env.yaml:4:56  environment variable AUDIO_FILE is not set (set AUDIO_FILE or write ${AUDIO_FILE:-default})  [missing-variable]',
        'missing-env.yaml:8:15  environment variable TEST_AGENT_KEY is not set (set TEST_AGENT_KEY or write ${TEST_AGENT_KEY:-default})  [missing-variable]',
        'missing-env.yaml:10:26  "${GREETING" is not ${NAME} or ${NAME:-default}  [invalid-variable]',
        'missing-env.yaml: 4 problems',
        '',
      ].join('\n'),
    );
  });

  test('names the converter to insert for a caps mismatch', async () => {
    const result = await beluga(['validate', 'caps-mismatch.yaml']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'caps-mismatch.yaml:8:5  could not link mic.audio -> agent.audio: 16000 Hz not accepted (24000 Hz) (insert test.resample or set autoConvert: true)  [caps-mismatch]\ncaps-mismatch.yaml: 1 problem\n',
    );
  });

  test('never prints a secret, even one written in the file', async () => {
    const result = await beluga(['validate', 'valid.yaml'], pipelines, {
      TEST_API_KEY: 'tk-cli-secret-123456',
      VOICE: '3',
    });
    expect(result).toEqual({ code: 0, stdout: 'valid.yaml: ok (6 nodes, 6 links)\n', stderr: '' });
    const graph = await beluga(['graph', 'valid.yaml'], pipelines, { TEST_API_KEY: 'tk-cli-secret-123456' });
    expect(graph.stdout).not.toContain('tk-cli-secret-123456');
  });

  test('a missing file is a clear error', async () => {
    const result = await beluga(['validate', 'nope.yaml']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^nope\.yaml: cannot read the pipeline: ENOENT: no such file or directory/);
  });
});

describe('beluga graph', () => {
  test('prints a Mermaid flowchart by default', async () => {
    const result = await beluga(['graph', 'valid.yaml']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`flowchart LR
  n0["mic<br/><small>test.mic</small>"]
  n1["vad<br/><small>test.vad</small>"]
  n2["up<br/><small>test.resample</small>"]
  n3["agent<br/><small>test.agent</small>"]
  n4["out<br/><small>test.speaker</small>"]
  n5["tools<br/><small>test.router</small>"]
  n0 -->|"audio (400 ms, drop-oldest)"| n1
  n1 -->|"audio (2000 ms, drop-oldest)"| n2
  n2 -->|"audio (2000 ms, drop-oldest)"| n3
  n5 -.->|"results → toolResults (1000 frames, error)"| n3
  n3 -->|"audio (2000 ms, drop-oldest)"| n4
  n3 -->|"toolCalls → calls (1000 frames, error)"| n5
`);
  });

  test('prints Graphviz dot with --format dot, feedback links dashed', async () => {
    const result = await beluga(['graph', 'valid.yaml', '--format', 'dot']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').slice(0, 4)).toEqual([
      'digraph "echo-test" {',
      '  rankdir=LR;',
      '  node [shape=box];',
      '  "mic" [label="mic\\ntest.mic"];',
    ]);
    expect(result.stdout).toContain(
      '  "tools" -> "agent" [label="results → toolResults (1000 frames, error)", style=dashed];\n',
    );
  });

  test('prints the graph as built as YAML with --format yaml: converters explicit, variables as written', async () => {
    const result = await beluga(['graph', 'auto-convert.yaml', '--format', 'yaml'], pipelines, {
      TEST_API_KEY: 'tk-abcdef-123456',
    });
    expect(result).toEqual({
      code: 0,
      stderr: '',
      stdout: `version: 1
name: auto
plugins:
  - ./plugins/test-nodes.mjs
autoConvert: true
nodes:
  mic:
    type: test.mic
    config:
      path: ./input.wav
  agent:
    type: test.agent
    config:
      apiKey: \${TEST_API_KEY}
  out:
    type: test.speaker
    config:
      path: ./out.wav
  mic_to_agent_resample:
    type: test.resample
    config:
      sampleRate: 24000
links:
  - mic.audio -> mic_to_agent_resample.audio -> agent -> out
`,
    });
  });

  test('rejects an unknown format with exit 1', async () => {
    expect(await beluga(['graph', 'valid.yaml', '--format', 'svg'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'beluga: --format must be mermaid, dot or yaml, got "svg" (beluga --help for usage)\n',
    });
  });
});

describe('beluga nodes, schema, mock-openai', () => {
  let project: string;
  const zodUrl = pathToFileURL(createRequire(import.meta.url).resolve('zod')).href;

  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'beluga-cli-'));
    const dir = join(project, 'node_modules/@acme/voice-nodes');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: '@acme/voice-nodes', beluga: { nodes: './nodes.mjs' } }),
    );
    writeFileSync(
      join(dir, 'nodes.mjs'),
      `import { z } from '${zodUrl}';
export const nodes = [{
  type: 'acme.beep',
  summary: 'Beeps now and then',
  config: z.object({
    everyMs: z.number().int().positive().default(1000).describe('Time between beeps'),
    pitch: z.enum(['low', 'high']).optional().describe('Beep pitch'),
    token: z.string().describe('Service token'),
  }).strict(),
  secrets: ['token'],
  inputs: {},
  outputs: { audio: { kinds: ['audio'] } },
  create: () => () => ({}),
}];
`,
    );
  });

  afterAll(() => rmSync(project, { recursive: true, force: true }));

  test('nodes lists installed types with their config fields', async () => {
    const result = await beluga(['nodes'], project);
    expect(result.code).toBe(0);
    const block = result.stdout.split('\n\n').find((b) => b.startsWith('acme.beep'));
    expect(block).toBe(`acme.beep  (@acme/voice-nodes)
  Beeps now and then
  inputs: -   outputs: audio
    everyMs  integer         = 1000    Time between beeps
    pitch    "low" | "high"  optional  Beep pitch
    token    string          required  Service token (secret)`);
  });

  test('nodes --json gives name, type, default and description of each field', async () => {
    const result = await beluga(['nodes', '--json'], project);
    const infos = JSON.parse(result.stdout) as Array<{ type: string; package?: string }>;
    // This core's own nodes are always there, wherever the command runs.
    expect(infos.find((n) => n.type === 'provider.echo')?.package).toBe('@beluga-voice/core');
    const beep = infos.find((n) => n.type === 'acme.beep');
    expect(beep).toEqual({
      type: 'acme.beep',
      package: '@acme/voice-nodes',
      summary: 'Beeps now and then',
      inputs: [],
      outputs: [{ name: 'audio', kinds: ['audio'] }],
      config: [
        { name: 'everyMs', type: 'integer', required: false, default: 1000, description: 'Time between beeps' },
        { name: 'pitch', type: '"low" | "high"', required: false, description: 'Beep pitch' },
        { name: 'token', type: 'string', required: true, description: 'Service token', secret: true },
      ],
    });
  });

  test('schema prints the pipeline JSON Schema for the installed types', async () => {
    const result = await beluga(['schema'], project);
    expect(result.code).toBe(0);
    const schema = JSON.parse(result.stdout);
    expect(schema.definitions.node.properties.type.enum).toContain('acme.beep');
    const beep = schema.definitions.node.allOf.find((s: any) => s.if.properties.type.const === 'acme.beep');
    expect(beep.then.properties.config.required).toEqual(['token']);
  });

  test('mock-openai explains what to install when the provider package is missing', async () => {
    expect(await beluga(['mock-openai', '--port', '0'], project)).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'beluga mock-openai needs @beluga-voice/provider-openai-realtime (npm i @beluga-voice/provider-openai-realtime)\n',
    });
  });
});

test("mock-openai runs the provider package's mock server where it is installed, until Ctrl-C", async () => {
  // examples/ depends on every package, as a user's project would.
  const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));
  const child = spawn(process.execPath, [bin, 'mock-openai', '--port', '0', '--api-key', 'test-key'], {
    cwd: examples,
    env: baseEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.includes('\n')) child.kill('SIGINT');
  });
  const code = await new Promise((done) => child.on('exit', done));
  expect(stdout).toMatch(/^listening ws:\/\/127\.0\.0\.1:\d+\/v1\/realtime\n$/);
  expect(code).toBe(0);
});

describe('usage', () => {
  test('--help documents the commands and exit codes', async () => {
    const result = await beluga(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('beluga run <pipeline.yaml> [--events FILE]');
    expect(result.stdout).toContain('exit codes:\n  0    success');
    expect(result.stdout).toContain('  130  aborted by a second Ctrl-C\n');
  });

  test('a wrong command line exits 1 with a hint', async () => {
    expect(await beluga(['frobnicate'])).toMatchObject({
      code: 1,
      stderr: 'beluga: unknown command "frobnicate" (beluga --help for usage)\n',
    });
    expect(await beluga(['validate'])).toMatchObject({
      code: 1,
      stderr: 'beluga: expected one pipeline file (beluga --help for usage)\n',
    });
    expect((await beluga([])).code).toBe(1);
  });
});

describe.skipIf(!hasTool('openssl'))('mock-openai --cert/--key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'beluga-cert-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('serves wss:// with the given PEM files, relative to the current folder', async () => {
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=beluga-test'],
        ...['-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', 'key.pem', '-out', 'cert.pem'],
      ],
      { cwd: dir, stdio: 'ignore' },
    );
    const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));
    const child = spawn(
      process.execPath,
      [bin, 'mock-openai', '--port', '0', '--cert', join(dir, 'cert.pem'), '--key', 'key.pem'],
      { cwd: dir, env: { ...baseEnv, NODE_PATH: join(examples, 'node_modules') }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /^listening wss:\/\/127\.0\.0\.1:(\d+)\/v1\/realtime\n/.exec(out);
          if (match) resolve(Number(match[1]));
        });
        child.on('exit', (code) => reject(new Error(`mock-openai exited ${code}: ${out}`)));
      });
      // Trusting only the given certificate, the TLS handshake succeeds: the mock serves it.
      const served = await new Promise<string>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port, ca: cert }, () => {
          resolve(socket.getPeerX509Certificate()?.subject ?? '');
          socket.end();
        });
        socket.on('error', reject);
      });
      expect(served).toBe('CN=beluga-test');
    } finally {
      child.kill('SIGINT');
    }
    expect(await new Promise((done) => child.on('exit', done))).toBe(0);
  });

  test('rejects --cert without --key', async () => {
    expect(await beluga(['mock-openai', '--cert', 'cert.pem'], dir)).toEqual({
      code: 1,
      stdout: '',
      stderr: 'beluga: --cert and --key go together (PEM certificate and its private key) (beluga --help for usage)\n',
    });
  });
});

describe('--version and per-command --help', () => {
  test('--version prints the version of @beluga-voice/core', async () => {
    const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
    expect(await beluga(['--version'])).toEqual({ code: 0, stdout: `beluga ${version}\n`, stderr: '' });
  });

  test.each(['run', 'validate', 'graph', 'nodes', 'schema', 'mock-openai'])(
    "%s --help prints that command's usage, not the global one",
    async (command) => {
      const result = await beluga([command, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^usage: beluga ${command}( |\n)`));
      expect(result.stdout).not.toContain('exit codes:');
    },
  );

  test('mock-openai --help documents --cert, --key and --script', async () => {
    const { stdout } = await beluga(['mock-openai', '--help']);
    expect(stdout).toContain('--cert/--key FILE   serve wss:// with these PEM files instead');
    expect(stdout).toContain('--script FILE.json  what the mock answers');
  });
});
