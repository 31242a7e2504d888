import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sileroModelPath } from '../src/silero-model.js';
import { SileroVad } from '../src/silero-vad.js';

const dir = mkdtempSync(join(tmpdir(), 'beluga-silero-model-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const model = readFileSync(sileroModelPath());

function modelFile(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** The model with every occurrence of `from` replaced by `to` (same length: the protobuf stays valid). */
function renamed(from: string, to: string): Buffer {
  const out = Buffer.from(model);
  const needle = Buffer.from(from);
  for (let at = out.indexOf(needle); at >= 0; at = out.indexOf(needle, at + 1)) out.write(to, at);
  return out;
}

describe('loading the Silero model into the kernel', () => {
  it('a truncated file: names the file and where the protobuf ends', async () => {
    const path = modelFile('truncated.onnx', model.subarray(0, model.length >> 1));
    await expect(SileroVad.load({ backend: 'kernel', modelPath: path })).rejects.toThrow(
      new RegExp(
        `^${path.replace(/[.]/g, '\\.')} is not a Silero VAD v5 model: cannot read it as ONNX \\(field 7 runs past the end of its message at byte \\d+\\)$`,
      ),
    );
  });

  it('a file that is not protobuf at all: names the file', async () => {
    const path = modelFile('text.onnx', Buffer.from('this is not a model\n'.repeat(10)));
    await expect(SileroVad.load({ backend: 'kernel', modelPath: path })).rejects.toThrow(
      `${path} is not a Silero VAD v5 model: cannot read it as ONNX`,
    );
  });

  it('a valid ONNX file missing a weight: names the file, the branch and the tensor', async () => {
    const path = modelFile('renamed.onnx', renamed('encoder.2.reparam_conv.weight', 'encoder.2.reparam_conv.wXight'));
    await expect(SileroVad.load({ backend: 'kernel', modelPath: path })).rejects.toThrow(
      `${path} is not a Silero VAD v5 model: the 16000 Hz branch has no tensor encoder.2.reparam_conv.weight`,
    );
  });

  it('a weight whose shape and data disagree: names the branch, the tensor and both sizes', async () => {
    // The 8 kHz branch's encoder.1 weight declared [65, 128, 3], with the data of [64, 128, 3].
    const bytes = Buffer.from(model);
    const dims = Buffer.from([0x08, 0x40, 0x08, 0x80, 0x01, 0x08, 0x03]);
    const at = bytes.indexOf(dims, bytes.indexOf('encoder.1.reparam_conv.weight'));
    bytes[at + 1] = 65;
    const path = modelFile('reshaped.onnx', bytes);
    await expect(SileroVad.load({ backend: 'kernel', modelPath: path })).rejects.toThrow(
      `${path} is not a Silero VAD v5 model: the 8000 Hz branch: tensor encoder.1.reparam_conv.weight [65, 128, 3] has 98304 bytes of data, not 99840`,
    );
  });

  it('a weight of another shape than the model needs: names the branch, the tensor and both shapes', async () => {
    // The 16 kHz branch's first convolution declared over 130 channels: the STFT gives 129.
    const bytes = Buffer.from(model);
    const dims = Buffer.from([0x08, 0x80, 0x01, 0x08, 0x81, 0x01, 0x08, 0x03]);
    bytes[bytes.indexOf(dims) + 4] = 0x82;
    const path = modelFile('wider.onnx', bytes);
    await expect(SileroVad.load({ backend: 'kernel', modelPath: path })).rejects.toThrow(
      `${path} is not a Silero VAD v5 model: the 16000 Hz branch: tensor encoder.0.reparam_conv.weight is [128, 130, 3], expected [?, 129, 3]`,
    );
  });

  it('a valid ONNX file without the If on the sample rate: says what is missing', async () => {
    const path = modelFile('no-rate-switch.onnx', renamed('Equal', 'Equel'));
    await expect(SileroVad.load({ backend: 'kernel', modelPath: path })).rejects.toThrow(
      `${path} is not a Silero VAD v5 model: its graph has no If node on sr == 16000 (or 8000) choosing the weights of each rate`,
    );
  });

  it('a missing file: names it', async () => {
    const path = join(dir, 'absent.onnx');
    await expect(SileroVad.load({ backend: 'kernel', modelPath: path })).rejects.toThrow(
      `cannot read the Silero model ${path}: no such file`,
    );
  });
});
