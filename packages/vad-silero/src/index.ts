export { nodes } from './nodes.js';
export {
  ONNXRUNTIME_NODE_MISSING,
  type OrtBackend,
  type OrtBackendChoice,
  type SileroBackend,
  type SileroBackendChoice,
} from './ort-backend.js';
export { SILERO_MODEL_SHA256, SILERO_WINDOW_SAMPLES, sileroModelPath } from './silero-model.js';
export { type SileroLoadOptions, SileroVad } from './silero-vad.js';
export { vadSilero } from './vad-silero-node.js';
