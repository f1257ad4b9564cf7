import type { CanonicalCell, CanonicalRow } from './canonical-rows.js';
import type { ResultColumn } from './workloads/bench-query.js';

/** The outcome of comparing two engines' canonical results. */
export interface ResultComparison {
  readonly equal: boolean;
  /** Empty when equal; otherwise the row counts or the first differing rows. */
  readonly differences: readonly string[];
}

/** Default relative tolerance for doubles (sums in a different order differ in the last bits). */
export const FLOAT_RELATIVE_TOLERANCE = 1e-9;

/**
 * Compares two sorted canonical results (see `canonicalRows`) row by row: ints and strings
 * exactly, floats within `relTol` relative difference (or both NaN). Lists at most
 * `maxReported` differing rows.
 */
export function compareResults(
  a: readonly CanonicalRow[],
  b: readonly CanonicalRow[],
  columns: readonly ResultColumn[],
  relTol = FLOAT_RELATIVE_TOLERANCE,
  maxReported = 5,
): ResultComparison {
  const differences: string[] = [];
  if (a.length !== b.length) differences.push(`row counts differ: ${a.length} vs ${b.length}`);
  const n = Math.min(a.length, b.length);
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i] as CanonicalRow;
    const y = b[i] as CanonicalRow;
    const cols = columns.filter((c, j) => !cellsEqual(x[j] ?? null, y[j] ?? null, c.kind === 'float', relTol));
    if (cols.length === 0) continue;
    bad++;
    if (bad <= maxReported) differences.push(`row ${i}: ${JSON.stringify(x)} vs ${JSON.stringify(y)} (columns ${cols.map((c) => c.name).join(', ')})`);
  }
  if (bad > maxReported) differences.push(`... ${bad - maxReported} more differing rows`);
  return { equal: differences.length === 0, differences };
}

function cellsEqual(a: CanonicalCell, b: CanonicalCell, isFloat: boolean, relTol: number): boolean {
  if (a === null || b === null) return a === b;
  if (!isFloat) return a === b;
  const x = Number(a);
  const y = Number(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
  if (x === y) return true;
  return Math.abs(x - y) <= relTol * Math.max(Math.abs(x), Math.abs(y));
}
