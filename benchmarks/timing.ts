/** The median of a non-empty list (the mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median() of an empty list.');
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/**
 * Calls `fn` `warmup + runs` times, sequentially, and returns the durations in seconds of the
 * last `runs` calls. Before each call it runs a full garbage collection when the process was
 * started with `--expose-gc`, so one run's garbage is not collected inside the next.
 */
export async function timeRuns(fn: () => Promise<void>, runs: number, warmup: number): Promise<number[]> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const times: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    gc?.();
    const t0 = performance.now();
    await fn();
    const seconds = (performance.now() - t0) / 1000;
    if (i >= warmup) times.push(seconds);
  }
  return times;
}
