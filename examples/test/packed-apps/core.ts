// A user's file against @beluga-voice/core alone: the README's "Writing a node", tested with
// runNode from @beluga-voice/core/testing (which must load without vitest).
import { type AudioFrame, defineNode, isFrameKind } from '@beluga-voice/core';
import { runNode } from '@beluga-voice/core/testing';
import { map } from 'rxjs';
import { z } from 'zod';

/** The frame with every pcm16 sample multiplied by `gain`, clipped to the 16-bit range. */
function scale(frame: AudioFrame, gain: number): AudioFrame {
  const input = frame.samples as Int16Array;
  const samples = input.map((s) => Math.max(-32768, Math.min(32767, Math.round(s * gain))));
  return { ...frame, samples };
}

const config = z.object({ gain: z.number().positive().default(1).describe('Linear gain') }).strict();

export const gain = defineNode({
  type: 'audio.gain',
  summary: 'Multiplies every sample by a gain',
  config,
  inputs: { audio: { kinds: ['audio'], caps: { encoding: ['pcm16'] }, required: true } },
  outputs: { audio: { kinds: ['audio'], format: ({ inputs }) => inputs.audio } },
  create(cfg) {
    return ({ audio }) => ({ audio: audio.pipe(map((f) => scale(f as AudioFrame, cfg.gain))) });
  },
});

const frame: AudioFrame = {
  kind: 'audio',
  timestamp: 0,
  format: { encoding: 'pcm16', sampleRate: 16000, channels: 1 },
  samples: Int16Array.from([100, -200, 20000]),
};
const harness = await runNode(gain, { config: { gain: 2 }, inputs: { audio: [frame] } });
const out = (await harness.collect('audio')).filter((f) => isFrameKind(f, 'audio'));
console.log(JSON.stringify({ samples: out.map((f) => [...(f.samples as Int16Array)]) }));
