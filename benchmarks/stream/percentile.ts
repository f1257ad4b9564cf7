/**
 * The p-th percentile (0..100) of a list by the nearest-rank method: the smallest value with
 * at least p % of the values at or below it (the maximum for p = 100). NaN for an empty list.
 */
export function percentile(xs: ArrayLike<number>, p: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = Float64Array.from(xs).sort();
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

/** Rounds to `digits` decimals; null for NaN or infinities (JSON has no NaN). */
export function roundTo(x: number, digits: number): number | null {
  if (!Number.isFinite(x)) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Resident set size of this process now, in MiB. */
export function rssMb(): number {
  return process.memoryUsage.rss() / (1024 * 1024);
}

/** Peak resident set size of this process so far (`process.resourceUsage().maxRSS`), in MiB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}
