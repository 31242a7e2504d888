export { S2SError } from '@beluga-voice/core';
export {
  type OpenAIRealtimeConfig,
  type OpenAIRealtimeConfigInput,
  openaiRealtimeConfigSchema,
  type ReconnectPolicy,
  type TurnDetection,
  turnDetectionSchema,
  wireAudioCaps,
  wireAudioFormat,
} from './config.js';
export { BENIGN_ERROR_CODES, errorFromServerEvent, outcomeOfClose, type ServerErrorBody } from './errors.js';
export { openaiRealtimeNode } from './openai-realtime-node.js';
export {
  createOpenAIRealtimeProvider,
  OpenAIRealtimeProvider,
  type OpenAIRealtimeProviderOptions,
  openaiRealtimeCapabilities,
} from './provider.js';
