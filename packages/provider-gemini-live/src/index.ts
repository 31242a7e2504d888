export { S2SError } from '@beluga-voice/core';
export {
  GEMINI_INPUT_CAPS,
  GEMINI_INPUT_FORMAT,
  GEMINI_OUTPUT_FORMAT,
  type GeminiLiveConfig,
  type GeminiLiveConfigInput,
  type GeminiTurnDetection,
  geminiLiveConfigSchema,
  geminiTurnDetectionSchema,
} from './config.js';
export { liveUrl } from './connection.js';
export { outcomeOfClose } from './errors.js';
export { geminiLiveNode } from './gemini-live-node.js';
export {
  createGeminiLiveProvider,
  GeminiLiveProvider,
  type GeminiLiveProviderOptions,
  geminiLiveCapabilities,
} from './provider.js';
