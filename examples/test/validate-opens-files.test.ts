import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { validate } from './support/validate.js';

const speech = fileURLToPath(new URL('../../fixtures/audio/single-utterance-16k.wav', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'beluga-validate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pipeline = (sources: Record<string, string>, tools: string) => `version: 1
nodes:
${Object.entries(sources)
  .map(([id, path]) => `  ${id}: { type: audio.file-source, config: { path: ${path} } }`)
  .join('\n')}
  agent: { type: provider.scripted, config: { script: [], sampleRate: 16000 } }
  tools: { type: tools.router, config: { tools: [calculator, { module: ${tools} }] } }
${Object.keys(sources)
  .map((id) => `  ${id}_out: { type: audio.null-sink }`)
  .join('\n')}
links:
${Object.keys(sources)
  .map((id, i) => (i === 0 ? `  - ${id} -> agent -> ${id}_out` : `  - ${id} -> ${id}_out`))
  .join('\n')}
  - agent.toolCalls -> tools.calls
  - { chain: "tools.results -> agent.toolResults", feedback: true }
`;

describe('beluga validate opens what the pipeline reads, as run would', () => {
  it('reports a missing file, a corrupt header, a folder, a raw file without its format and a missing tool module', async () => {
    const ghz = Buffer.from(readFileSync(speech));
    ghz.writeUInt32LE(0xffffffff, 24);
    writeFileSync(join(dir, 'ghz.wav'), ghz);
    writeFileSync(join(dir, 'audio.raw'), Buffer.alloc(3200));
    mkdirSync(join(dir, 'folder.wav'));
    const file = join(dir, 'broken.yaml');
    writeFileSync(
      file,
      pipeline(
        { missing: './missing.wav', ghz: './ghz.wav', folder: './folder.wav', raw: './audio.raw' },
        './nope/tools.mjs',
      ),
    );
    const result = await validate(file);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const here = "check the path: relative paths resolve against the pipeline file's folder";
    expect(result.stderr.split('\n')).toEqual([
      `${file}:3:55  node "missing" (audio.file-source): cannot open ${dir}/missing.wav: no such file (${here})  [unusable-input]`,
      `${file}:4:51  node "ghz" (audio.file-source): ${dir}/ghz.wav: corrupt WAV header: sample rate 4294967295 Hz is above the 768000 Hz any audio file uses (save it as PCM, float, μ-law or A-law WAV, or set container: compressed to decode it with ffmpeg)  [unusable-input]`,
      `${file}:5:54  node "folder" (audio.file-source): cannot open ${dir}/folder.wav: is a directory (give the path of an audio file)  [unusable-input]`,
      `${file}:6:35  node "raw" (audio.file-source): ${dir}/audio.raw: a raw PCM file needs its format in config.raw ({ encoding, sampleRate, channels }) (add raw: { encoding: pcm16, sampleRate: 16000, channels: 1 } with the values of the file)  [unusable-input]`,
      `${file}:8:72  node "tools" (tools.router): cannot load tool module ./nope/tools.mjs (${dir}/nope/tools.mjs): no such file (${here})  [unusable-input]`,
      `${file}: 5 problems`,
      '',
    ]);
  });

  it('passes a pipeline whose files all open', async () => {
    writeFileSync(join(dir, 'tools.mjs'), 'export {};\n');
    const file = join(dir, 'fine.yaml');
    writeFileSync(file, pipeline({ mic: speech }, './tools.mjs'));
    expect(await validate(file)).toEqual({ code: 0, stdout: `${file}: ok (4 nodes, 4 links)\n`, stderr: '' });
  });
});
