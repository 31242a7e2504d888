import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { validate } from './support/validate.js';

const speech = fileURLToPath(new URL('../../fixtures/audio/single-utterance-16k.wav', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'beluga-turns-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OPENAI_NO_TURNS = [
  '    type: provider.openai-realtime',
  '    config: { apiKey: sk-test-0123456789abcdef, turnDetection: { type: none } }',
];

/** A provider (by default OpenAI's with its turn detection off), fed by a file through `between`. */
function pipeline(name: string, between: string[], agent = OPENAI_NO_TURNS): string {
  const file = join(dir, `${name}.yaml`);
  const nodes: Record<string, string> = {
    vad: '{ type: audio.vad-energy }',
    up: '{ type: audio.resample, config: { sampleRate: 24000 } }',
  };
  writeFileSync(
    file,
    [
      'version: 1',
      'nodes:',
      `  mic: { type: audio.file-source, config: { path: ${speech} } }`,
      ...between.map((id) => `  ${id}: ${nodes[id]}`),
      '  agent:',
      ...agent,
      '  out: { type: audio.null-sink }',
      'links:',
      `  - ${['mic', ...between, 'agent', 'out'].join(' -> ')}`,
      '',
    ].join('\n'),
  );
  return file;
}

describe('beluga validate: a provider that never hears a turn end', () => {
  it('warns, placed at the provider node, when only audio reaches it (a resampler makes no markers); the pipeline stays valid', async () => {
    const file = pipeline('no-vad', ['up']);
    expect(await validate(file)).toEqual({
      code: 0,
      stdout: `${file}: ok (4 nodes, 3 links)\n`,
      stderr:
        `warning: ${file}:6:5  node "agent" (provider.openai-realtime) has its own turn detection off and no speech-stop reaches it: ` +
        "the caller's turns never end, so it never answers (put a VAD on its way in (audio.vad-energy or audio.vad-silero, " +
        "e.g. mic -> vad -> agent), or turn the provider's turn detection on)  [turns-never-end]\n",
    });
  });

  it('says nothing once a VAD ends the turns', async () => {
    const file = pipeline('with-vad', ['vad', 'up']);
    expect(await validate(file)).toEqual({ code: 0, stdout: `${file}: ok (5 nodes, 4 links)\n`, stderr: '' });
  });

  it('reads the providers of a failover: one of them with its turn detection off is enough to warn', async () => {
    const file = pipeline(
      'failover',
      ['up'],
      [
        '    type: provider.failover',
        '    config:',
        '      providers:',
        '        - { type: provider.openai-realtime, config: { apiKey: sk-test-0123456789abcdef } }',
        '        - { type: provider.openai-realtime, config: { apiKey: sk-test-0123456789abcdef, turnDetection: { type: none } } }',
      ],
    );
    const result = await validate(file);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      new RegExp(
        `^warning: ${file}:6:5  node "agent" \\(provider\\.failover\\) has its own turn detection off \\(providers\\[1\\], provider\\.openai-realtime\\) and no speech-stop .*\\[turns-never-end\\]\\n$`,
      ),
    );
  });
});
