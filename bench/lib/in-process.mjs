// What the in-process micro benchmarks share: how often an operation runs per second, and the median of rounds.

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Operations per second of an async `run`, awaited one at a time, in batches of 1,000 for `durationMs`. */
export async function opsPerSecond(run, durationMs = 400) {
  let operations = 0;
  const started = performance.now();
  while (performance.now() - started < durationMs) {
    for (let index = 0; index < 1000; index++) await run();
    operations += 1000;
  }
  return operations / ((performance.now() - started) / 1000);
}

/** The same for a synchronous `run`: no await between calls. */
export function opsPerSecondSync(run, durationMs = 400) {
  let operations = 0;
  const started = performance.now();
  while (performance.now() - started < durationMs) {
    for (let index = 0; index < 1000; index++) run();
    operations += 1000;
  }
  return operations / ((performance.now() - started) / 1000);
}
