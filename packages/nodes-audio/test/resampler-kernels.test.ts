import { readFileSync } from 'node:fs';
import { f32ToPcm16 } from '@beluga-voice/core';
import { describe, expect, it } from 'vitest';
import { compileWat } from '../scripts/build-wasm.mjs';
import { designPolyphaseBank } from '../src/polyphase-filter.js';
import { createPolyphaseKernel, type PolyphaseKernel } from '../src/polyphase-kernel.js';
import { MonoKernel } from '../src/polyphase-kernel-js.js';
import { loadKernelModule, wasmKernel, wasmKernelError } from '../src/polyphase-kernel-wasm.js';
import { Resampler } from '../src/resampler.js';
import { concat, randomChunks, sine } from './signals.js';

/** The five pairs of issue 18, then a few awkward ratios. */
const PAIRS: Array<[number, number]> = [
  [48000, 16000],
  [16000, 24000],
  [24000, 48000],
  [44100, 16000],
  [8000, 24000],
  [44100, 48000],
  [22050, 16000],
  [11025, 8000],
];

function noise(frames: number, seed: number): Float32Array {
  const out = new Float32Array(frames);
  let state = seed;
  for (let i = 0; i < frames; i++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    out[i] = 0.9 * (state / 2 ** 30 - 1);
  }
  return out;
}

/** Runs a kernel over `input` the way the Resampler does from a fresh start, all outputs at once. */
function runKernel(kernel: PolyphaseKernel, inRate: number, outRate: number, input: Float32Array): Float32Array {
  const bank = designPolyphaseBank(inRate, outRate, 'high');
  const history = bank.taps - 1;
  kernel.reserve(history + input.length, 0);
  kernel.clear(0, history);
  kernel.load(input, 1, history);
  const newest = history + Math.floor(bank.delay / bank.up);
  const phase = bank.delay % bank.up;
  const count = Math.floor(((history + input.length - 1 - newest) * bank.up + (bank.up - 1 - phase)) / bank.down) + 1;
  kernel.run(newest, phase, count);
  const out = new Float32Array(count);
  kernel.store(out, 1, count);
  return out;
}

function resampleAll(
  inRate: number,
  outRate: number,
  chunks: Array<Int16Array | Float32Array>,
  encoding: 'pcm16' | 'f32',
) {
  const r = new Resampler({ inRate, outRate, inChannels: 1, outChannels: 1 });
  const parts = chunks.map((c) => r.process(c, encoding));
  parts.push(r.flush(encoding));
  return concat(parts as Array<Int16Array | Float32Array>);
}

describe('resampler WebAssembly SIMD kernel', () => {
  it('loads from the built wasm/polyphase.wasm, which is the current compile of wasm/polyphase.wat', async () => {
    expect(wasmKernelError()).toBeUndefined();
    const built = readFileSync(new URL('../wasm/polyphase.wasm', import.meta.url));
    expect(Buffer.compare(built, await compileWat('polyphase.wat'))).toBe(0);
    const bank = designPolyphaseBank(16000, 24000, 'high');
    expect(createPolyphaseKernel(bank, 1).kind).toBe('wasm-simd');
    expect(createPolyphaseKernel(bank, 2).kind).toBe('wasm-simd');
    // The identity bank only copies, in JavaScript.
    expect(createPolyphaseKernel(designPolyphaseBank(16000, 16000, 'high'), 1).kind).toBe('js');
  });

  it('names the file, the cause and the fix when the module cannot load', () => {
    const missing = new URL('../wasm/missing.wasm', import.meta.url);
    expect(loadKernelModule(missing)).toEqual({
      error: `resampler: cannot load ${missing.pathname} (ENOENT: no such file or directory, open '${missing.pathname}'); resampling in JavaScript, several times slower (build the file with \`pnpm build\`)`,
    });
    const notWasm = new URL('../wasm/polyphase.wat', import.meta.url);
    expect('error' in loadKernelModule(notWasm)).toBe(true);
  });

  for (const [inRate, outRate] of PAIRS) {
    it(`${inRate} -> ${outRate}: the SIMD kernel and the JavaScript fallback agree within 2e-6 on full-scale noise`, () => {
      const bank = designPolyphaseBank(inRate, outRate, 'high');
      const input = noise(inRate / 5, inRate + outRate);
      const simd = runKernel(wasmKernel(bank) as PolyphaseKernel, inRate, outRate, input);
      const js = runKernel(new MonoKernel(bank), inRate, outRate, input);
      expect(simd.length).toBe(js.length);
      expect(simd.length).toBeGreaterThan(((input.length - bank.taps) * outRate) / inRate);
      let worst = 0;
      for (let i = 0; i < js.length; i++) worst = Math.max(worst, Math.abs(simd[i] - js[i]));
      // f32 accumulation in four lanes against float64 sums: rounding only.
      expect(worst).toBeLessThan(2e-6);
      expect(worst).toBeGreaterThan(0);
    });
  }

  it('converts pcm16 in the module exactly as core does (pcm16ToF32 in, f32ToPcm16 out, saturating)', () => {
    // A full-scale square wave overshoots (Gibbs) and saturates; odd lengths exercise the scalar tails.
    const square = Int16Array.from({ length: 4801 }, (_, i) => (Math.floor(i / 37) % 2 ? 32767 : -32768));
    for (const [inRate, outRate] of PAIRS.slice(0, 5)) {
      const input = square.subarray(0, inRate / 10 + 3);
      const floats = resampleAll(inRate, outRate, [Float32Array.from(input, (v) => v / 32768)], 'f32');
      const pcm = resampleAll(inRate, outRate, [input], 'pcm16');
      expect(pcm).toEqual(f32ToPcm16(floats as Float32Array));
      expect(Math.max(...pcm)).toBe(32767);
      expect(Math.min(...pcm)).toBe(-32768);
    }
  });
});

describe('resampler with several channels on the SIMD path', () => {
  it('filters each channel of a stereo stream exactly as a mono stream of that channel, in f32 and pcm16', () => {
    const left = sine(48000, 440, 9600, 0.7);
    const right = noise(9600, 17);
    const stereo = new Float32Array(2 * 9600);
    for (let i = 0; i < 9600; i++) {
      stereo[2 * i] = left[i];
      stereo[2 * i + 1] = right[i];
    }
    for (const encoding of ['f32', 'pcm16'] as const) {
      const as = (x: Float32Array) => (encoding === 'f32' ? x : f32ToPcm16(x));
      const r = new Resampler({ inRate: 48000, outRate: 16000, inChannels: 2, outChannels: 2 });
      const both = concat([
        ...randomChunks(as(stereo), 2, 21, 1500).map((c) => r.process(c, encoding)),
        r.flush(encoding),
      ]);
      const l = resampleAll(48000, 16000, [as(left)], encoding);
      const rr = resampleAll(48000, 16000, [as(right)], encoding);
      expect(both.length).toBe(2 * 3200);
      expect(both.filter((_, i) => i % 2 === 0)).toEqual(l);
      expect(both.filter((_, i) => i % 2 === 1)).toEqual(rr);
    }
  });
});

describe('resampler streaming on the SIMD path (mono)', () => {
  for (const [inRate, outRate] of PAIRS.slice(0, 5)) {
    it(`${inRate} -> ${outRate}: random chunks (1 to 3000 frames, past the initial buffers) give exactly one chunk's output`, () => {
      const input = concat([sine(inRate, 997, inRate / 2, 0.6), noise(inRate / 2, 3)]);
      const whole = resampleAll(inRate, outRate, [input], 'f32');
      expect(whole.length).toBe(Math.ceil(outRate));
      expect(resampleAll(inRate, outRate, randomChunks(input, 1, 11, 3000), 'f32')).toEqual(whole);
      const pcm = Int16Array.from(input, (v) => Math.round(v * 32767));
      const pcmWhole = resampleAll(inRate, outRate, [pcm], 'pcm16');
      expect(resampleAll(inRate, outRate, randomChunks(pcm, 1, 5, 3000), 'pcm16')).toEqual(pcmWhole);
      expect(resampleAll(inRate, outRate, randomChunks(pcm, 1, 9, 4), 'pcm16')).toEqual(pcmWhole);
    });
  }
});
