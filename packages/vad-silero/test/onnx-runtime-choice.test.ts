import { describe, expect, it } from 'vitest';
import { loadOnnxRuntime } from '../src/onnx-runtime.js';
import { ONNXRUNTIME_NODE_MISSING } from '../src/ort-backend.js';

/** What `require` throws for a package that is not installed. */
function notInstalled(): never {
  throw Object.assign(new Error("Cannot find module 'onnxruntime-node'"), { code: 'MODULE_NOT_FOUND' });
}

describe('choosing the onnxruntime', () => {
  it('auto takes onnxruntime-node when it is installed', async () => {
    expect((await loadOnnxRuntime('auto')).backend).toBe('node');
  });

  it('auto falls back to the WASM build when onnxruntime-node is not installed', async () => {
    const { ort, backend } = await loadOnnxRuntime('auto', notInstalled);
    expect(backend).toBe('web');
    expect(ort.env.wasm.numThreads).toBe(1);
  });

  it('node without onnxruntime-node says how to install it without the CUDA download', async () => {
    await expect(loadOnnxRuntime('node', notInstalled)).rejects.toThrow(ONNXRUNTIME_NODE_MISSING);
    expect(ONNXRUNTIME_NODE_MISSING).toContain('ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node');
  });

  it('a broken onnxruntime-node is reported as it is, not taken for a missing one', async () => {
    const broken = () => {
      throw new Error('libonnxruntime.so.1: cannot open shared object file');
    };
    await expect(loadOnnxRuntime('auto', broken)).rejects.toThrow(
      'libonnxruntime.so.1: cannot open shared object file',
    );
  });

  it('web never loads onnxruntime-node', async () => {
    const { backend } = await loadOnnxRuntime('web', notInstalled);
    expect(backend).toBe('web');
  });
});
