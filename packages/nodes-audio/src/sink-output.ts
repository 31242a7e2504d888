import { mkdir } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import type { AudioFormat } from '@beluga-voice/core';
import { type AudioWriter, RawFileWriter, StreamWriter, WavWriter } from './audio-writer.js';

export type SinkContainer = 'auto' | 'wav' | 'raw';

/** `path: '-'` is stdout. `auto` writes WAV for a `.wav` path and raw samples otherwise. */
export async function openSinkWriter(
  path: string,
  container: SinkContainer,
  format: AudioFormat,
): Promise<AudioWriter> {
  const wav = container === 'wav' || (container === 'auto' && ['.wav', '.wave'].includes(extname(path).toLowerCase()));
  if (path === '-') return new StreamWriter(process.stdout, wav ? format : undefined);
  await mkdir(dirname(path), { recursive: true });
  return wav ? WavWriter.open(path, format) : RawFileWriter.open(path);
}
