import type { AudioFormat } from '../audio-format.js';

export interface WavAudio {
  readonly format: AudioFormat;
  readonly samples: Int16Array;
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/** Reads a pcm16 WAV file held in memory. `name` is used in error messages. */
export function readWav(bytes: Uint8Array, name: string): WavAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.byteLength < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') {
    throw new Error(`${name}: not a WAV file (no RIFF/WAVE header)`);
  }
  let format: AudioFormat | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.byteLength) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      const code = view.getUint16(body, true);
      const bits = view.getUint16(body + 14, true);
      const pcm =
        code === WAVE_FORMAT_PCM ||
        (code === WAVE_FORMAT_EXTENSIBLE && view.getUint16(body + 24, true) === WAVE_FORMAT_PCM);
      if (!pcm || bits !== 16) {
        throw new Error(
          `${name}: ${pcm ? `${bits}-bit PCM` : `WAV format code ${code}`} is not supported; use 16-bit PCM`,
        );
      }
      format = {
        encoding: 'pcm16',
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
      };
    } else if (id === 'data') {
      if (!format) throw new Error(`${name}: data chunk before the fmt chunk`);
      const end = Math.min(body + size, bytes.byteLength);
      const length = Math.floor((end - body) / 2);
      const samples = new Int16Array(length);
      for (let i = 0; i < length; i++) samples[i] = view.getInt16(body + i * 2, true);
      return { format, samples };
    }
    offset = body + size + (size & 1);
  }
  throw new Error(`${name}: no ${format ? 'data' : 'fmt'} chunk`);
}
