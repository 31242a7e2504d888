import { z } from 'zod';

/** Config fields every stub provider shares: format, timing and its own turn detector. */
export const stubConfigShape = {
  sampleRate: z
    .number()
    .int()
    .positive()
    .default(24_000)
    .describe('Sample rate of the pcm16 mono audio taken and produced (Hz)'),
  latencyMs: z.number().min(0).default(300).describe('Delay between the end of a user turn and the reply (ms)'),
  realtime: z
    .boolean()
    .default(true)
    .describe('Emit reply audio at playback speed (one 20 ms chunk per 20 ms); false sends each reply at once'),
  maxTurnMs: z.number().positive().default(30_000).describe('Longest user turn kept (ms)'),
  thresholdDb: z
    .number()
    .max(0)
    .default(-50)
    .describe(
      'Own turn detector: level above which audio is speech (dBFS); unused once a VAD sends speech-stop frames',
    ),
  minSpeechMs: z.number().min(0).default(60).describe('Own turn detector: speech needed before a turn starts (ms)'),
  hangoverMs: z.number().positive().default(500).describe('Own turn detector: silence that ends a turn (ms)'),
};

export function turnDetection(config: { thresholdDb: number; minSpeechMs: number; hangoverMs: number }) {
  return { thresholdDb: config.thresholdDb, minSpeechMs: config.minSpeechMs, hangoverMs: config.hangoverMs };
}
