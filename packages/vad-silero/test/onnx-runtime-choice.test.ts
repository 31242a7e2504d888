import { describe, expect, it } from 'vitest';
import { loadOnnxRuntime } from '../src/onnx-runtime.js';
import { ONNXRUNTIME_NODE_MISSING } from '../src/ort-backend.js';
import { SileroVad } from '../src/silero-vad.js';
import { vadSilero } from '../src/vad-silero-node.js';

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

  it('SileroVad runs on the kernel by default (auto) and on each onnxruntime when asked', async () => {
    for (const [choice, backend] of [
      [undefined, 'kernel'],
      ['auto', 'kernel'],
      ['kernel', 'kernel'],
      ['web', 'web'],
      ['node', 'node'],
    ] as const) {
      const vad = await SileroVad.load({ backend: choice });
      expect(vad.backend, `backend ${choice}`).toBe(backend);
      await vad.close();
    }
  });

  it('the node takes backend kernel, web, node or auto (the default)', () => {
    expect(vadSilero.config.parse({}).backend).toBe('auto');
    for (const backend of ['kernel', 'web', 'node', 'auto']) {
      expect(vadSilero.config.parse({ backend }).backend).toBe(backend);
    }
    expect(vadSilero.config.safeParse({ backend: 'wasm' }).success).toBe(false);
  });
});
