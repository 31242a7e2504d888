import type { OverflowPolicy, QueueSettings } from '../graph/model.js';

export interface QueueLimits {
  /** Frames held at most (always set: a bound exists even for millisecond limits). */
  readonly maxFrames: number;
  /** Milliseconds of audio held at most, when the limit is given in ms. */
  readonly maxMs?: number;
  readonly overflow: OverflowPolicy;
  /** True when the link's settings name the policy; otherwise the runtime may choose `block` (see planBackpressure). */
  readonly declared?: boolean;
}

/**
 * Audio links default to a latency bound; other frames (tool calls, transcripts) must not be lost.
 * Audio from a producer that can pause defaults to `block` instead (see planBackpressure).
 */
export const DEFAULT_AUDIO_QUEUE: QueueLimits = { maxFrames: 1000, maxMs: 2000, overflow: 'drop-oldest' };
export const DEFAULT_EVENT_QUEUE: QueueLimits = { maxFrames: 1000, overflow: 'error' };

const MS = /^(\d+(?:\.\d+)?)\s*ms$/;
const SECONDS = /^(\d+(?:\.\d+)?)\s*s$/;

export function parseQueueMax(max: QueueSettings['max']): { frames?: number; ms?: number } | string {
  if (typeof max === 'number') {
    return Number.isInteger(max) && max > 0
      ? { frames: max }
      : `queue max must be a positive whole number of frames, got ${max}`;
  }
  if (typeof max === 'string') {
    const ms = MS.exec(max) ?? null;
    if (ms) return Number(ms[1]) > 0 ? { ms: Number(ms[1]) } : 'queue max must be above 0 ms';
    const s = SECONDS.exec(max);
    if (s && Number(s[1]) > 0) return { ms: Number(s[1]) * 1000 };
    return `queue max "${max}" is neither a frame count nor a duration like "400ms"`;
  }
  return {};
}

const POLICIES: readonly OverflowPolicy[] = ['drop-oldest', 'drop-newest', 'block', 'error'];

export function resolveQueueLimits(settings: QueueSettings | undefined, carriesAudio: boolean): QueueLimits | string {
  const base = carriesAudio ? DEFAULT_AUDIO_QUEUE : DEFAULT_EVENT_QUEUE;
  if (!settings) return base;
  if (settings.overflow !== undefined && !POLICIES.includes(settings.overflow)) {
    return `queue overflow "${settings.overflow}" is not one of ${POLICIES.join(', ')}`;
  }
  const max = parseQueueMax(settings.max);
  if (typeof max === 'string') return max;
  return {
    maxFrames: max.frames ?? (max.ms !== undefined ? DEFAULT_AUDIO_QUEUE.maxFrames : base.maxFrames),
    maxMs: max.frames !== undefined ? undefined : (max.ms ?? base.maxMs),
    overflow: settings.overflow ?? base.overflow,
    ...(settings.overflow !== undefined ? { declared: true } : {}),
  };
}

/** `400 ms` or `40 frames`: the bound a queue holds. */
export function limitText(limits: QueueLimits): string {
  return limits.maxMs !== undefined ? `${limits.maxMs} ms` : `${limits.maxFrames} frames`;
}
