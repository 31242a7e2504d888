import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { type AudioEncoding, type AudioFormat, bytesPerSample, unreadableFile } from '@beluga-voice/core';
import { codingOfEncoding, type DecodeTarget, decodedEncoding } from '@beluga-voice/core/audio';
import { type AudioReader, openError } from './audio-reader.js';
import { ensureFfmpeg, FfmpegReader } from './ffmpeg-reader.js';
import { PcmFileReader } from './pcm-file-reader.js';
import { openWavReader, probeWav, wavOutputFormat } from './wav-reader.js';

export type Container = 'wav' | 'raw' | 'compressed';

/** What the file source needs to know to open a file: the config fields that describe it. */
export interface FileSourceSettings {
  readonly path: string;
  readonly container: Container | 'auto';
  readonly encoding: DecodeTarget;
  readonly raw?: { readonly encoding: AudioEncoding; readonly sampleRate: number; readonly channels: number };
  readonly sampleRate: number;
  readonly channels: number;
}

const RAW_EXTENSIONS = new Set(['.raw', '.pcm']);
const WAV_EXTENSIONS = new Set(['.wav', '.wave']);

/** `auto` picks the container from the extension: `.wav` → wav, `.raw`/`.pcm` → raw, anything else → ffmpeg. */
export function containerOf(settings: Pick<FileSourceSettings, 'path' | 'container'>): Container {
  if (settings.container !== 'auto') return settings.container;
  const ext = extname(settings.path).toLowerCase();
  return WAV_EXTENSIONS.has(ext) ? 'wav' : RAW_EXTENSIONS.has(ext) ? 'raw' : 'compressed';
}

/** The format of a raw or compressed source, which config alone decides. */
function configuredFormat(settings: FileSourceSettings, container: Container): AudioFormat | undefined {
  if (container === 'raw' && settings.raw) {
    return { ...settings.raw, encoding: decodedEncoding(codingOfEncoding(settings.raw.encoding), settings.encoding) };
  }
  if (container === 'compressed') {
    const encoding = settings.encoding === 'f32' ? 'f32' : 'pcm16';
    return { encoding, sampleRate: settings.sampleRate, channels: settings.channels };
  }
  return undefined;
}

/**
 * The format the source will emit, known before running: a WAV header is probed synchronously
 * when the file exists; raw and compressed files emit their configured format.
 */
export function sourceFormat(settings: FileSourceSettings, baseDir: string): AudioFormat | undefined {
  const container = containerOf(settings);
  if (container !== 'wav') return configuredFormat(settings, container);
  const path = resolve(baseDir, settings.path);
  if (!existsSync(path)) return undefined;
  try {
    return wavOutputFormat(probeWav(path), settings.encoding);
  } catch {
    // A bad file is reported by `create` with its reason; here the format is just unknown.
    return undefined;
  }
}

/** What keeps the source from opening its file, at the config key to change, with the fix. */
export interface SourceProblem {
  readonly key: 'path' | 'raw';
  readonly message: string;
  readonly fix: string;
}

/** The checks `create` runs before the pipeline starts (missing or unreadable file, bad header, no ffmpeg). */
export function sourceProblem(settings: FileSourceSettings, path: string): SourceProblem | undefined {
  const container = containerOf(settings);
  const unopened = openProblem(path);
  if (unopened) return unopened;
  if (container === 'wav') {
    try {
      probeWav(path);
    } catch (error) {
      return {
        key: 'path',
        message: errorText(error),
        fix: 'save it as PCM, float, μ-law or A-law WAV, or set container: compressed to decode it with ffmpeg',
      };
    }
    return undefined;
  }
  if (container === 'raw' && !settings.raw) {
    return {
      key: 'raw',
      message: `${path}: a raw PCM file needs its format in config.raw ({ encoding, sampleRate, channels })`,
      fix: 'add raw: { encoding: pcm16, sampleRate: 16000, channels: 1 } with the values of the file',
    };
  }
  if (container === 'compressed') {
    try {
      ensureFfmpeg();
    } catch (error) {
      return { key: 'path', message: errorText(error), fix: 'install ffmpeg, or convert the file to WAV' };
    }
  }
  return undefined;
}

/** Throws what `sourceProblem` finds. */
export function checkSource(settings: FileSourceSettings, path: string): void {
  const problem = sourceProblem(settings, path);
  if (problem) throw new Error(problem.message);
}

function openProblem(path: string): SourceProblem | undefined {
  const unreadable = unreadableFile(path);
  if (!unreadable) return undefined;
  const fix =
    unreadable.code === 'ENOENT'
      ? "check the path: relative paths resolve against the pipeline file's folder"
      : unreadable.code === 'EACCES'
        ? 'make the file readable by this user'
        : 'give the path of an audio file';
  return { key: 'path', message: `cannot open ${path}: ${unreadable.reason}`, fix };
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Opens a reader for the file as configured. */
export async function openSource(settings: FileSourceSettings, path: string): Promise<AudioReader> {
  const container = containerOf(settings);
  if (container === 'wav') return openWavReader(path, settings.encoding);
  const format = configuredFormat(settings, container) as AudioFormat;
  if (container === 'compressed') return new FfmpegReader(path, format);
  const raw = settings.raw as NonNullable<FileSourceSettings['raw']>;
  const handle = await open(path, 'r').catch((error) => {
    throw openError(path, error);
  });
  const { size } = await handle.stat().catch(async (error) => {
    await handle.close();
    throw openError(path, error);
  });
  const region = {
    offset: 0,
    bytes: size,
    coding: codingOfEncoding(raw.encoding),
    bigEndian: false,
    sampleRate: raw.sampleRate,
    channels: raw.channels,
  };
  return new PcmFileReader(handle, region, settings.encoding, bytesPerSample(raw.encoding), format.encoding);
}
