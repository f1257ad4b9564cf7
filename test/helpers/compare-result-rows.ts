import type { ResultColumn } from '../../benchmarks/workloads/bench-query.js';

/** Relative tolerance for float columns (sums in a different order differ in the last bits). */
export const RESULT_FLOAT_TOLERANCE = 1e-9;

type Cell = number | string | null;

/** A row's cells in column order: ints as numbers (safe integers) or decimal strings beyond, strings, floats as numbers. */
function cells(r: Readonly<Record<string, unknown>>, columns: readonly ResultColumn[]): Cell[] {
  return columns.map((c) => {
    if (!(c.name in r)) throw new Error(`Result row has no column '${c.name}'; it has ${Object.keys(r).join(', ')}.`);
    const v = r[c.name];
    if (v === null || v === undefined) return null;
    if (c.kind === 'str') return String(v);
    const n = v instanceof Date ? v.getTime() : Number(v);
    if (c.kind === 'int' && !Number.isSafeInteger(n)) {
      if (typeof v === 'bigint') return v.toString();
      throw new Error(`Column '${c.name}' should hold integers but holds ${String(v)} (${typeof v}).`);
    }
    return n;
  });
}

function compareCell(a: Cell, b: Cell): number {
  if (a === b) return 0;
  if (a === null || b === null) return a === null ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}

function floatsEqual(a: Cell, b: Cell): boolean {
  if (a === null || b === null || typeof a === 'string' || typeof b === 'string') return a === b;
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return a === b || Math.abs(a - b) <= RESULT_FLOAT_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * Compares two query results as multisets of rows over `columns`: ints and strings exactly,
 * floats within {@link RESULT_FLOAT_TOLERANCE} relative difference. Both sides are sorted by
 * the int and string columns, then the float ones, and compared row by row (the benchmark's
 * canonicalRows + compareResults, with number keys so that results of 10^6 rows sort in
 * seconds). Returns the differences found (at most `maxReported` rows listed): empty when
 * the results are equal.
 */
export function resultDifferences(
  got: readonly Readonly<Record<string, unknown>>[],
  want: readonly Readonly<Record<string, unknown>>[],
  columns: readonly ResultColumn[],
  maxReported = 5,
): string[] {
  const order = [...columns.keys()].sort((a, b) => Number(columns[a]?.kind === 'float') - Number(columns[b]?.kind === 'float'));
  const sorted = (rows: readonly Readonly<Record<string, unknown>>[]): Cell[][] =>
    rows
      .map((r) => cells(r, columns))
      .sort((x, y) => {
        for (const j of order) {
          const d = compareCell(x[j] ?? null, y[j] ?? null);
          if (d !== 0) return d;
        }
        return 0;
      });
  const a = sorted(got);
  const b = sorted(want);
  const out: string[] = [];
  if (a.length !== b.length) out.push(`row counts differ: ${a.length} vs ${b.length}`);
  let bad = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as Cell[];
    const y = b[i] as Cell[];
    const cols = columns.filter((c, j) => (c.kind === 'float' ? !floatsEqual(x[j] ?? null, y[j] ?? null) : x[j] !== y[j]));
    if (cols.length === 0) continue;
    bad++;
    if (bad <= maxReported) out.push(`row ${i}: ${JSON.stringify(x)} vs ${JSON.stringify(y)} (columns ${cols.map((c) => c.name).join(', ')})`);
  }
  if (bad > maxReported) out.push(`... ${bad - maxReported} more differing rows`);
  return out;
}
