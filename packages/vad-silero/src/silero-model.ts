import { fileURLToPath } from 'node:url';

/**
 * The Silero VAD v5 model (MIT, Silero Team; licence in `model/LICENSE`), shipped in this
 * package: inputs `input` [1, context + window], `state` [2, 1, 128], `sr`; outputs `output`, `stateN`.
 */
export function sileroModelPath(): string {
  return fileURLToPath(new URL('../model/silero_vad_v5.onnx', import.meta.url));
}

/** SHA-256 of the shipped model file, as published in silero-vad v5. */
export const SILERO_MODEL_SHA256 = '2623a2953f6ff3d2c1e61740c6cdb7168133479b267dfef114a4a3cc5bdd788f';

/** Sample rates the model was trained for, with its window length at each (32 ms). */
export const SILERO_WINDOW_SAMPLES: Readonly<Record<number, number>> = { 8000: 256, 16000: 512 };

/** Samples of the previous window the model sees before each window (v5 needs them for its STFT). */
export const SILERO_CONTEXT_SAMPLES: Readonly<Record<number, number>> = { 8000: 32, 16000: 64 };
