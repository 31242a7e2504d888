import { createRequire } from 'node:module';

/** The onnxruntime API both packages share (onnxruntime-web's types describe onnxruntime-node's too). */
export type Ort = typeof import('onnxruntime-web');

/** `web`: onnxruntime-web's WASM build, a plain dependency; `node`: the native onnxruntime-node, if installed. */
export type OrtBackend = 'web' | 'node';
/** `auto` takes onnxruntime-node when it is installed (3-4× less CPU per window) and the WASM build otherwise. */
export type OrtBackendChoice = OrtBackend | 'auto';

export const ONNXRUNTIME_NODE_MISSING =
  'onnxruntime-node is not installed: add it beside @beluga-voice/vad-silero (ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node skips its CUDA download; the CPU build ships in the package), or use backend: web';

const require = createRequire(import.meta.url);

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND';
}

/**
 * Loads onnxruntime for `choice`. Required lazily, so that loading the package needs neither
 * runtime until a Silero VAD is created. `requireNative` stands in for `require('onnxruntime-node')`.
 */
export async function loadOnnxRuntime(
  choice: OrtBackendChoice,
  requireNative: () => unknown = () => require('onnxruntime-node'),
): Promise<{ ort: Ort; backend: OrtBackend }> {
  if (choice !== 'web') {
    try {
      return { ort: requireNative() as Ort, backend: 'node' };
    } catch (error) {
      if (!isMissing(error) || choice === 'node') {
        throw isMissing(error) ? new Error(ONNXRUNTIME_NODE_MISSING) : error;
      }
    }
  }
  const ort = (await import('onnxruntime-web')) as Ort;
  // One thread: the model is tiny, and WASM threads would start workers for nothing.
  ort.env.wasm.numThreads = 1;
  return { ort, backend: 'web' };
}
