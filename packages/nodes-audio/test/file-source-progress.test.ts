import { runNode } from '@beluga-voice/core/testing';
import { describe, expect, it } from 'vitest';
import { fileSource } from '../src/file-source.js';
import { fixture } from './audio-helpers.js';

describe('audio.file-source progress', () => {
  it('reports the fraction read at every whole percent, ending at 1, for the CLI progress bar', async () => {
    const path = fixture('single-utterance-16k.wav');
    const h = await runNode(fileSource, { id: 'mic', config: { path, pace: 'fast' } });
    await h.collect('audio');
    const progress = h.events.filter((e) => e.type === 'metric' && e.name === 'source.progress');
    const values = progress.map((e) => (e as { value: number }).value);
    expect(values.at(-1)).toBe(1);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(new Set(values).size).toBe(values.length);
    expect(values.length).toBeGreaterThanOrEqual(90);
    expect(progress[0]).toMatchObject({ attributes: { path } });
    await h.close();
  });
});
