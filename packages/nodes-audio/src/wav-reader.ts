import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import type { AudioFormat } from '@beluga-voice/core';
import {
  codingBytes,
  type DecodedWav,
  type DecodeTarget,
  decodedEncoding,
  decodeWav,
  parseWavHeader,
  type WavInfo,
} from '@beluga-voice/core/audio';
import { type AudioReader, openError } from './audio-reader.js';
import { PcmFileReader } from './pcm-file-reader.js';

/** Reads a WAV file's header synchronously (cheap: only chunk headers are read). Throws for a missing or bad file. */
export function probeWav(path: string): WavInfo {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw openError(path, error);
  }
  try {
    const size = fstatSync(fd).size;
    return parseWavHeader(
      (offset, length) => {
        const out = new Uint8Array(length);
        return out.subarray(0, readSync(fd, out, 0, length, offset));
      },
      size,
      path,
    );
  } finally {
    closeSync(fd);
  }
}

/** The frame format a WAV file decodes to with `target`. */
export function wavOutputFormat(info: WavInfo, target: DecodeTarget): AudioFormat {
  return { encoding: decodedEncoding(info.coding, target), sampleRate: info.sampleRate, channels: info.channels };
}

/** Opens a WAV file for streaming reads. */
export async function openWavReader(path: string, target: DecodeTarget = 'auto'): Promise<AudioReader> {
  const info = probeWav(path);
  const handle = await open(path, 'r').catch((error) => {
    throw openError(path, error);
  });
  const region = { ...info, offset: info.dataOffset, bytes: info.dataBytes };
  const encoding = decodedEncoding(info.coding, target);
  return new PcmFileReader(handle, region, target, codingBytes(info.coding), encoding);
}

/** Reads a whole WAV file into memory. */
export async function readWav<T extends DecodeTarget = 'auto'>(
  path: string,
  target: T = 'auto' as T,
): Promise<DecodedWav<T>> {
  const bytes = await readFile(path).catch((error) => {
    throw openError(path, error);
  });
  return decodeWav(bytes, path, target);
}
