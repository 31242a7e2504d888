import { type AudioFrame, defineNode } from '@beluga-voice/core';
import { emitEach, VAD_OUTPUT_PORTS, VadTracker, vadOutputs } from '@beluga-voice/nodes-audio';
import { concat, defer } from 'rxjs';
import { z } from 'zod';
import { BoundaryRefiner } from './boundary-refiner.js';
import { wasmKernelError } from './silero-kernel-wasm.js';
import { SileroVad } from './silero-vad.js';

const config = z
  .object({
    threshold: z.number().gt(0).lt(1).default(0.5).describe('Speech probability that starts speech'),
    exitThreshold: z
      .number()
      .gt(0)
      .lt(1)
      .optional()
      .describe('Speech probability below which speech may end; default: threshold - 0.15'),
    minSpeechMs: z.number().min(0).default(100).describe('Shorter sounds are not speech, in ms'),
    minSilenceMs: z.number().min(0).default(500).describe('Silence that ends speech, in ms'),
    prefixPaddingMs: z.number().min(0).default(300).describe('With gate: audio kept before the speech onset, in ms'),
    gate: z.boolean().default(false).describe('Pass only speech audio (with prefix padding) instead of all audio'),
    refine: z
      .boolean()
      .default(true)
      .describe("Place speech-start/stop on the signal's level near Silero's decision (Silero lags the signal)"),
    backend: z
      .enum(['auto', 'kernel', 'web', 'node'])
      .default('auto')
      .describe(
        "What runs the model: kernel (the package's own, WebAssembly SIMD), web (onnxruntime-web), node (onnxruntime-node, if installed); auto: kernel",
      ),
  })
  .strict()
  .refine((c) => c.exitThreshold === undefined || c.exitThreshold <= c.threshold, {
    message: 'exitThreshold must not exceed threshold',
    path: ['exitThreshold'],
  });

export const vadSilero = defineNode({
  type: 'audio.vad-silero',
  summary:
    'Silero VAD v5 (own WebAssembly SIMD kernel, or onnxruntime); emits speech-start/stop and passes audio through',
  config,
  demand: 'passes',
  inputs: {
    audio: {
      kinds: ['audio'],
      summary: 'Audio at 8 or 16 kHz (multi-channel is down-mixed)',
      caps: { encoding: ['pcm16', 'f32'], sampleRate: [8000, 16000] },
      required: true,
    },
  },
  outputs: VAD_OUTPUT_PORTS,
  async create(cfg, ctx) {
    const label = `audio.vad-silero "${ctx.id}"`;
    const vad = await SileroVad.load({ backend: cfg.backend }).catch((error: unknown) => {
      throw new Error(
        `${label}: cannot load the Silero model: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    if (vad.kernel === 'js') {
      const why = wasmKernelError() ?? 'no memory for another WebAssembly instance';
      ctx.emit({
        type: 'warning',
        code: 'slow-kernel',
        message: `${label}: ${why}; the model runs in JavaScript, about 5× the CPU per window (backend: node uses onnxruntime-node if installed)`,
      });
    }
    let running: Promise<unknown> = Promise.resolve();
    ctx.onClose(async () => {
      await running.catch(() => undefined);
      await vad.close();
    });
    const exit = cfg.exitThreshold ?? Math.max(0.01, cfg.threshold - 0.15);
    return ({ audio }) => {
      const refiner = new BoundaryRefiner(cfg);
      const tracker = new VadTracker({
        ...cfg,
        source: ctx.id,
        label,
        startStream: (rate, timestampMs) => {
          const windowSamples = vad.start(rate);
          refiner.start((windowSamples / rate) * 1000, timestampMs);
          return windowSamples;
        },
        placeBoundary: cfg.refine
          ? (e) => (e.kind === 'speech-start' ? refiner.refineStart(e.timestamp) : refiner.refineEnd(e.timestamp))
          : undefined,
      });
      const step = async (frame: AudioFrame) => {
        const windows = tracker.accept(frame);
        const decisions = [];
        for (const w of windows) {
          const p = await (running = vad.probability(w.samples));
          refiner.push(w.samples, p);
          decisions.push({ start: p >= cfg.threshold, keep: p >= exit });
        }
        return tracker.complete(frame, windows, decisions);
      };
      return vadOutputs(
        concat(
          audio.process(step).pipe(emitEach((frames) => frames)),
          defer(() => tracker.end()),
        ),
      );
    };
  },
});
