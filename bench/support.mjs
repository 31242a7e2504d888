// Shared by the bench files: timing loops and the JSON result line that bench/run.mjs reads.

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
