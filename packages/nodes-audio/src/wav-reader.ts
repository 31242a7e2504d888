import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { type AudioFormat, allocSamples, type Samples } from '@beluga-voice/core';
import { type AudioReader, openError } from './audio-reader.js';
import { PcmFileReader } from './pcm-file-reader.js';
import { codingBytes, type DecodeTarget, decodedEncoding } from './sample-coding.js';
import { parseWavHeader, type WavInfo } from './wav-header.js';

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

async function openWav(path: string, target: DecodeTarget): Promise<{ info: WavInfo; reader: AudioReader }> {
  const info = probeWav(path);
  const handle = await open(path, 'r').catch((error) => {
    throw openError(path, error);
  });
  const region = { ...info, offset: info.dataOffset, bytes: info.dataBytes };
  const encoding = decodedEncoding(info.coding, target);
  return { info, reader: new PcmFileReader(handle, region, target, codingBytes(info.coding), encoding) };
}

/** Opens a WAV file for streaming reads. */
export async function openWavReader(path: string, target: DecodeTarget = 'auto'): Promise<AudioReader> {
  return (await openWav(path, target)).reader;
}

export interface DecodedWav {
  readonly info: WavInfo;
  readonly format: AudioFormat;
  readonly samples: Samples;
}

/** Reads a whole WAV file into memory. */
export async function readWav(path: string, target: DecodeTarget = 'auto'): Promise<DecodedWav> {
  const { info, reader } = await openWav(path, target);
  try {
    const samples = (await reader.read(info.frames)) ?? allocSamples(reader.format.encoding, 0);
    return { info, format: reader.format, samples };
  } finally {
    await reader.close();
  }
}
