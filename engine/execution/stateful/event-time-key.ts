import type { ColumnVector } from '../../../common/column-vector.js';

/** Units of a timestamp column per millisecond (1 for ms, 1000 for µs). */
export function unitsPerMs(v: ColumnVector): bigint {
  return v.type.kind === 'timestamp' && v.type.unit === 'us' ? 1000n : 1n;
}

/**
 * 1 where the event time `v[i]` is at or before the watermark (`v <= wm`, Spark's
 * non-strict rule, compared exactly in the column's unit), 0 elsewhere and for nulls.
 */
export function atOrBeforeWatermark(v: ColumnVector, watermarkMs: number): Uint8Array {
  const n = v.length;
  const out = new Uint8Array(n);
  const values = v.values as BigInt64Array;
  const valid = v.validity;
  const wm = BigInt(watermarkMs) * unitsPerMs(v);
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) continue;
    out[i] = (values[i] as bigint) <= wm ? 1 : 0;
  }
  return out;
}

/** The smallest watermark (ms) at which some row of `v` is at or before it: ceil(min(v) / unit); null when no valid row. */
export function minDeadlineMs(v: ColumnVector): number | null {
  const values = v.values as BigInt64Array;
  const valid = v.validity;
  let min: bigint | null = null;
  for (let i = 0; i < v.length; i++) {
    if (valid !== null && valid[i] === 0) continue;
    const x = values[i] as bigint;
    if (min === null || x < min) min = x;
  }
  if (min === null) return null;
  const u = unitsPerMs(v);
  const q = min / u;
  return Number(min % u !== 0n && min > 0n ? q + 1n : q);
}

/** The smaller of two optional deadlines. */
export function minOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}
