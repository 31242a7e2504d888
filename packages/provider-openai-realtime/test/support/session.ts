import type { AudioFrame, S2SEvent, S2SSession } from '@beluga-voice/core';
import { until } from './fixtures.js';

export const FORMAT_24K = { encoding: 'pcm16', sampleRate: 24000, channels: 1 } as const;

/** 24 kHz mono frames of `ms` each, timestamped from 0. */
export function audioFrames(samples: Int16Array, ms = 20): AudioFrame[] {
  const size = (24000 * ms) / 1000;
  const frames: AudioFrame[] = [];
  for (let i = 0; i < samples.length; i += size) {
    frames.push({
      kind: 'audio',
      timestamp: (i / 24000) * 1000,
      format: FORMAT_24K,
      samples: samples.slice(i, Math.min(samples.length, i + size)),
    });
  }
  return frames;
}

export interface Recorder {
  readonly events: S2SEvent[];
  of<T extends S2SEvent['type']>(type: T): Extract<S2SEvent, { type: T }>[];
  waitFor<T extends S2SEvent['type']>(
    type: T,
    count?: number,
    timeoutMs?: number,
  ): Promise<Extract<S2SEvent, { type: T }>>;
}

export function record(session: S2SSession): Recorder {
  const events: S2SEvent[] = [];
  session.events$.subscribe((e) => events.push(e));
  const of = <T extends S2SEvent['type']>(type: T) =>
    events.filter((e): e is Extract<S2SEvent, { type: T }> => e.type === type);
  return {
    events,
    of,
    async waitFor(type, count = 1, timeoutMs = 5000) {
      await until(() => of(type).length >= count, timeoutMs, `${count} × ${type}`);
      return of(type)[count - 1];
    },
  };
}
