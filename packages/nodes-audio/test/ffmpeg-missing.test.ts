import { runNode } from '@beluga-voice/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileSource } from '../src/file-source.js';
import { fixture } from './audio-helpers.js';

// Runs in its own worker: prism-media caches the ffmpeg it found, so no other test may have looked first.
describe('audio.file-source without ffmpeg', () => {
  const path = process.env.PATH;
  beforeAll(() => {
    process.env.PATH = '/nonexistent';
  });
  afterAll(() => {
    process.env.PATH = path;
  });

  it('says ffmpeg is missing and how to install it when asked for a compressed file', async () => {
    await expect(runNode(fileSource, { id: 'mic', config: { path: fixture('two-turns-16k.mp3') } })).rejects.toThrow(
      'audio.file-source "mic": ffmpeg not found on the PATH: install it (e.g. apt-get install ffmpeg) to decode compressed audio',
    );
  });

  it('still plays WAV files', async () => {
    const h = await runNode(fileSource, { config: { path: fixture('interjection-16k.wav'), pace: 'fast' } });
    expect((await h.collect('audio')).length).toBe(118);
  });
});
