import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type AudioFormat, type AudioFrame, packageForType } from '@beluga-voice/core';
import { runNode } from '@beluga-voice/core/testing';
import { describe, expect, it, vi } from 'vitest';
import { vadCase } from '../../nodes-audio/test/vad-cases.js';
import { SILERO_MODEL_SHA256, sileroModelPath } from '../src/silero-model.js';
import { SileroVad } from '../src/silero-vad.js';
import { vadSilero } from '../src/vad-silero-node.js';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

describe('audio.vad-silero node', () => {
  it('ships the Silero v5 model in the package, byte for byte, with its MIT licence', () => {
    expect(sileroModelPath()).toMatch(/vad-silero[/\\]model[/\\]silero_vad_v5\.onnx$/);
    expect(createHash('sha256').update(readFileSync(sileroModelPath())).digest('hex')).toBe(SILERO_MODEL_SHA256);
    const licence = readFileSync(join(dirname(sileroModelPath()), 'LICENSE'), 'utf8');
    expect(licence).toMatch(/^MIT License\s+Copyright \(c\) 2020-present Silero Team/);
    expect(packageJson.files).toContain('model');
  });

  it('installs without a native runtime: onnxruntime-web is a dependency, onnxruntime-node an optional peer', () => {
    expect(Object.keys(packageJson.dependencies)).toContain('onnxruntime-web');
    expect(packageJson.dependencies['onnxruntime-node']).toBeUndefined();
    expect(packageJson.peerDependenciesMeta['onnxruntime-node']).toEqual({ optional: true });
    expect(packageForType('audio.vad-silero')).toBe('@beluga-voice/vad-silero');
    expect(packageForType('audio.vad-energy')).toBe('@beluga-voice/nodes-audio');
  });

  it('gives the same probabilities on onnxruntime-web (WASM) as on onnxruntime-node', async () => {
    const c = vadCase('single-utterance-16k.wav');
    const samples = Float32Array.from(
      c.frames.flatMap((f) => Array.from(f.samples as Int16Array)),
      (v) => v / 32768,
    );
    const run = async (backend: 'web' | 'node') => {
      const vad = await SileroVad.load({ backend });
      expect(vad.backend).toBe(backend);
      const out = [];
      for (let i = 0; i + 512 <= samples.length; i += 512)
        out.push(await vad.probability(samples.subarray(i, i + 512)));
      await vad.close();
      return out;
    };
    const web = await run('web');
    const native = await run('node');
    expect(web).toHaveLength(112);
    for (let i = 0; i < web.length; i++) expect(Math.abs(web[i] - native[i])).toBeLessThan(1e-3);
  });

  it('passes audio through unchanged with speech frames in order, and releases the session on close', async () => {
    const close = vi.spyOn(SileroVad.prototype, 'close');
    const c = vadCase('single-utterance-16k.wav');
    const h = await runNode(vadSilero, { id: 'vad', inputs: { audio: c.frames } });
    const out = await h.collect('audio');
    expect(out.filter((f) => f.kind === 'audio')).toEqual(c.frames);
    expect(out.filter((f) => f.kind !== 'audio').map((f) => f.kind)).toEqual(['speech-start', 'speech-stop']);
    expect(out.filter((f) => f.kind !== 'audio').every((f) => 'source' in f && f.source === 'vad')).toBe(true);
    expect(close).not.toHaveBeenCalled();
    expect(await h.close()).toEqual([]);
    expect(close).toHaveBeenCalledTimes(1);
    close.mockRestore();
  });

  it('gives probabilities near 0 for silence and near 1 inside speech', async () => {
    const vad = await SileroVad.load({ backend: 'node' });
    try {
      expect(vad.start(16000)).toBe(512);
      expect(await vad.probability(new Float32Array(512))).toBeLessThan(0.1);
      const c = vadCase('single-utterance-16k.wav');
      const samples = Float32Array.from(
        c.frames.flatMap((f) => Array.from(f.samples as Int16Array)),
        (v) => v / 32768,
      );
      let peak = 0;
      for (let i = 8000; i + 512 <= 41600; i += 512)
        peak = Math.max(peak, await vad.probability(samples.subarray(i, i + 512)));
      expect(peak).toBeGreaterThan(0.9);
      expect(vad.start(8000)).toBe(256);
      await expect(vad.probability(new Float32Array(512))).rejects.toThrow(
        'Silero VAD takes windows of 256 samples, not 512',
      );
    } finally {
      await vad.close();
    }
  });

  it('accepts only 8 and 16 kHz: in its caps, and at run time with a message naming the node', async () => {
    expect(vadSilero.inputs.audio.caps.sampleRate).toEqual([8000, 16000]);
    const format: AudioFormat = { encoding: 'pcm16', sampleRate: 24000, channels: 1 };
    const frame: AudioFrame = { kind: 'audio', timestamp: 0, format, samples: new Int16Array(480) };
    const h = await runNode(vadSilero, { id: 'mic-vad', inputs: { audio: [frame] } });
    await expect(h.collect('audio')).rejects.toThrow(
      'audio.vad-silero "mic-vad": Silero VAD runs at 8000 or 16000 Hz, not 24000 Hz (insert audio.resample)',
    );
    await h.close();
  });

  it('defaults the exit threshold below the start threshold and rejects one above it', () => {
    expect(vadSilero.config.parse({})).toMatchObject({
      backend: 'auto',
      refine: true,
      threshold: 0.5,
      minSpeechMs: 100,
      minSilenceMs: 500,
      prefixPaddingMs: 300,
    });
    const bad = vadSilero.config.safeParse({ threshold: 0.5, exitThreshold: 0.6 });
    expect(bad.error?.issues[0]).toMatchObject({
      path: ['exitThreshold'],
      message: 'exitThreshold must not exceed threshold',
    });
  });
});
