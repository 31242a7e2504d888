import { type AudioFrame, defineNode } from '@beluga-voice/core';
import { concat, defer } from 'rxjs';
import { z } from 'zod';
import { emitEach } from './emit-each.js';
import { EnergyVad } from './energy-vad.js';
import { VAD_OUTPUT_PORTS, vadOutputs } from './vad-outputs.js';
import { VadTracker } from './vad-tracker.js';

const config = z
  .object({
    windowMs: z.number().int().min(10).max(30).default(20).describe('Analysis window length in ms (10 to 30)'),
    startDb: z.number().positive().default(10).describe('Level above the noise floor that starts speech, in dB'),
    stopDb: z.number().positive().default(6).describe('Level above the noise floor that keeps speech going, in dB'),
    minLevelDb: z.number().max(0).default(-55).describe('Absolute level (dBFS) below which nothing starts speech'),
    initialFloorDb: z.number().max(0).default(-60).describe('Noise floor assumed before any audio is heard, in dBFS'),
    floorRiseDbPerSec: z.number().positive().default(3).describe('How fast the noise floor may rise, in dB per second'),
    steadyDb: z.number().positive().default(2).describe('A level steadier than this (std dev, dB) is background noise'),
    steadyMs: z
      .number()
      .positive()
      .default(600)
      .describe('How long a level must stay steady to become the noise floor, in ms'),
    minSpeechMs: z.number().min(0).default(100).describe('Shorter sounds are not speech, in ms'),
    minSilenceMs: z.number().min(0).default(500).describe('Silence that ends speech, in ms'),
    prefixPaddingMs: z.number().min(0).default(300).describe('With gate: audio kept before the speech onset, in ms'),
    gate: z.boolean().default(false).describe('Pass only speech audio (with prefix padding) instead of all audio'),
  })
  .strict()
  .refine((c) => c.stopDb <= c.startDb, { message: 'stopDb must not exceed startDb', path: ['stopDb'] });

export const vadEnergy = defineNode({
  type: 'audio.vad-energy',
  summary: 'Energy VAD: RMS against an adaptive noise floor; emits speech-start/stop and passes audio through',
  config,
  demand: 'passes',
  inputs: {
    audio: {
      kinds: ['audio'],
      summary: 'Audio at any rate (multi-channel is down-mixed)',
      caps: { encoding: ['pcm16', 'f32'] },
      required: true,
    },
  },
  outputs: VAD_OUTPUT_PORTS,
  create(cfg, ctx) {
    return ({ audio }) => {
      const vad = new EnergyVad(cfg);
      const tracker = new VadTracker({
        ...cfg,
        source: ctx.id,
        label: `audio.vad-energy "${ctx.id}"`,
        startStream: (rate) => Math.round((rate * cfg.windowMs) / 1000),
      });
      const step = (frame: AudioFrame) => {
        const windows = tracker.accept(frame);
        const decisions = windows.map((w) => vad.classify(w.samples, w.endMs - w.startMs));
        return tracker.complete(frame, windows, decisions);
      };
      return vadOutputs(
        concat(
          audio.pipe(emitEach(step)),
          defer(() => tracker.end()),
        ),
      );
    };
  },
});
