import type { AudioEncoding, AudioFormat } from './audio-format.js';
import { formatToString } from './audio-format.js';

/**
 * What an input port accepts. An absent field accepts anything. Checked when the graph is
 * built, never per frame.
 */
export interface AudioCaps {
  readonly encoding?: readonly AudioEncoding[];
  readonly sampleRate?: readonly number[];
  readonly channels?: readonly number[];
}

export interface CapsMismatch {
  readonly field: 'encoding' | 'sampleRate' | 'channels';
  readonly got: string;
  readonly accepted: string;
}

function list<T>(values: readonly T[], unit = ''): string {
  return values.map((v) => `${v}${unit}`).join(' | ');
}

/** Every field of `format` that `caps` rejects, in a stable order. */
export function capsMismatches(format: AudioFormat, caps: AudioCaps): CapsMismatch[] {
  const out: CapsMismatch[] = [];
  if (caps.encoding && !caps.encoding.includes(format.encoding)) {
    out.push({ field: 'encoding', got: format.encoding, accepted: list(caps.encoding) });
  }
  if (caps.sampleRate && !caps.sampleRate.includes(format.sampleRate)) {
    out.push({ field: 'sampleRate', got: `${format.sampleRate} Hz`, accepted: list(caps.sampleRate, ' Hz') });
  }
  if (caps.channels && !caps.channels.includes(format.channels)) {
    out.push({ field: 'channels', got: `${format.channels} ch`, accepted: list(caps.channels, ' ch') });
  }
  return out;
}

export function capsAccept(caps: AudioCaps, format: AudioFormat): boolean {
  return capsMismatches(format, caps).length === 0;
}

export function capsToString(caps: AudioCaps): string {
  const parts = [
    caps.encoding ? list(caps.encoding) : 'any encoding',
    caps.sampleRate ? list(caps.sampleRate, ' Hz') : 'any rate',
    caps.channels ? list(caps.channels, ' ch') : 'any channels',
  ];
  return parts.join(', ');
}

/** A format that satisfies `caps`, as close to `from` as possible: what a converter should produce. */
export function fixateCaps(caps: AudioCaps, from: AudioFormat): AudioFormat {
  const pick = <T>(accepted: readonly T[] | undefined, current: T): T =>
    !accepted || accepted.includes(current) ? current : accepted[0];
  return {
    encoding: pick(caps.encoding, from.encoding),
    sampleRate: pick(caps.sampleRate, from.sampleRate),
    channels: pick(caps.channels, from.channels),
  };
}

export { formatToString };
