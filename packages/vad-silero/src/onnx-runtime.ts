import { createRequire } from 'node:module';
import { ONNXRUNTIME_NODE_MISSING, type OrtBackend, type OrtBackendChoice } from './ort-backend.js';

/** The onnxruntime API both packages share (onnxruntime-web's types describe onnxruntime-node's too). */
export type Ort = typeof import('onnxruntime-web');

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
