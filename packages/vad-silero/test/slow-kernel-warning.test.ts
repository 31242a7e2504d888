import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./support/kernel-warnings.mjs', import.meta.url));
const run = (flags: string[]) =>
  JSON.parse(execFileSync(process.execPath, [...flags, script], { encoding: 'utf8', timeout: 60_000 })) as Record<
    'resample' | 'vad',
    { warnings: string[]; samples: number }
  >;

describe('the JavaScript fallbacks of the SIMD kernels are never silent (built packages)', () => {
  it('without WebAssembly (node --jitless) the resampler and the Silero VAD warn once each, and audio still flows', () => {
    const slow = run(['--jitless']);
    expect(slow.resample.warnings).toEqual([
      'slow-kernel: audio.resample "resample": resampler: this runtime has no WebAssembly (node --jitless?); resampling in JavaScript, several times slower',
    ]);
    expect(slow.vad.warnings).toEqual([
      'slow-kernel: audio.vad-silero "vad-silero": this runtime has no WebAssembly (node --jitless?); the model runs in JavaScript, about 5× the CPU per window (backend: node uses onnxruntime-node if installed)',
    ]);
    // 200 ms at 16 kHz, less the filter's delay still held when the input ends.
    expect(slow.resample.samples).toBeGreaterThan(2900);
    expect(slow.vad.samples).toBe(3200);
  });

  it('with WebAssembly SIMD there is no warning, and the same audio comes out', () => {
    const fast = run([]);
    expect(fast.resample.warnings).toEqual([]);
    expect(fast.vad.warnings).toEqual([]);
    expect(fast.vad.samples).toBe(3200);
    expect(fast.resample.samples).toBe(run(['--jitless']).resample.samples);
  });
});
