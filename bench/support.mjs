// Shared by the bench files: timing loops, the JSON result line that bench/run.mjs reads, and the
// idle probe process that load benches measure the shared machine's own lag with.
import { spawn } from 'node:child_process';

/** Sum of what the timed functions return, so that no call can be optimised away. */
let sink = 0;

/** Keeps a value alive for the optimiser's sake (see `sink`). */
export function keep(value) {
  sink += value;
}

/** Best of `runs` of the synchronous `fn` over all items (after one warm-up run), in microseconds per item. */
export function timeEach(items, fn, runs = 3) {
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r <= runs; r++) {
    const t0 = performance.now();
    for (const item of items) sink += fn(item);
    if (r > 0) best = Math.min(best, performance.now() - t0);
  }
  return (best * 1000) / items.length;
}

const round = (v, digits) => Number(v.toFixed(digits));

/** Prints one result with its same-run baseline and the ratio between them. */
export function report({ bench, subject, value, unit, baseline, baselineValue, target, digits = 3 }) {
  console.log(
    JSON.stringify({
      bench,
      subject,
      value: round(value, digits),
      unit,
      baseline,
      baselineValue: round(baselineValue, digits),
      ratio: round(value / baselineValue, 3),
      ...(target ? { target } : {}),
    }),
  );
}

// Reading the sink at exit keeps it observable; a non-finite sum means a timed function misbehaved.
process.on('exit', () => {
  if (!Number.isFinite(sink)) {
    console.error(`timed functions returned a non-finite sum (${sink})`);
    process.exitCode = 1;
  }
});

/** Event-loop lag sampling interval; the histogram counts the interval itself, subtracted below. */
export const LAG_RESOLUTION_MS = 10;

/**
 * An idle process measuring its own loop lag: what the shared machine alone costs a process.
 * `read()` returns the lag since the previous read (p50, p99 in ms) and starts a new window.
 */
export function startProbe() {
  const code = `const { monitorEventLoopDelay } = require('node:perf_hooks');
const h = monitorEventLoopDelay({ resolution: ${LAG_RESOLUTION_MS} }); h.enable();
process.stdin.on('data', () => { process.stdout.write(JSON.stringify({ p50: h.percentile(50) / 1e6, p99: h.percentile(99) / 1e6 }) + '\\n'); h.reset(); });`;
  const child = spawn(process.execPath, ['-e', code]);
  return {
    child,
    read: () =>
      new Promise((resolve) => {
        child.stdout.once('data', (line) => {
          const { p50, p99 } = JSON.parse(String(line));
          resolve({ lagP50Ms: p50 - LAG_RESOLUTION_MS, lagP99Ms: p99 - LAG_RESOLUTION_MS });
        });
        child.stdin.write('\n');
      }),
  };
}

/**
 * Starts a server process (`beluga serve`, `deploy/local/cluster.sh`) in `cwd` and resolves once it
 * prints `listening http://…`: `{ child, url, output() }`, output being all it printed so far.
 */
export function startListening(command, args, cwd) {
  const child = spawn(command, args, { cwd });
  let text = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk) => {
      text += chunk;
      const match = /^listening (http:\/\/\S+)/m.exec(text);
      if (match) resolve({ child, url: match[1], output: () => text });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${text}`)));
  });
}

/** A speech-band test signal: a few tones plus noise, deterministic. */
export function testSignal(rate, seconds) {
  const out = new Float32Array(rate * seconds);
  let state = 7;
  for (let i = 0; i < out.length; i++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const t = i / rate;
    out[i] =
      0.2 * Math.sin(2 * Math.PI * 220 * t) + 0.1 * Math.sin(2 * Math.PI * 1700 * t) + 0.05 * (state / 2 ** 31 - 0.5);
  }
  return out;
}

/** Root mean square of x[from, to). */
export function rms(x, from, to) {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] * x[i];
  return Math.sqrt(s / (to - from));
}
