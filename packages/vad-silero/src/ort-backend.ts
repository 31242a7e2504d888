// The public face of the runtime choice: no onnxruntime types here, so a user's type check never
// loads onnxruntime-web's declarations (they need the DOM lib).

/** `web`: onnxruntime-web's WASM build, a plain dependency; `node`: the native onnxruntime-node, if installed. */
export type OrtBackend = 'web' | 'node';
/** `auto` takes onnxruntime-node when it is installed (3-4× less CPU per window) and the WASM build otherwise. */
export type OrtBackendChoice = OrtBackend | 'auto';

/**
 * What runs Silero VAD: `kernel`, the package's own forward pass (WebAssembly SIMD, or JavaScript
 * where SIMD is unavailable; no onnxruntime loaded), or one of the onnxruntimes, kept as references.
 */
export type SileroBackend = 'kernel' | OrtBackend;
/** `auto` takes the kernel. */
export type SileroBackendChoice = SileroBackend | 'auto';

export const ONNXRUNTIME_NODE_MISSING =
  'onnxruntime-node is not installed: add it beside @beluga-voice/vad-silero (ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node skips its CUDA download; the CPU build ships in the package), or use backend: kernel or web';
