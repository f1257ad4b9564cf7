import type { ResultColumn } from './workloads/bench-query.js';

/** A result cell in comparable form: int as a decimal string (exact), float as number, str as string. */
export type CanonicalCell = string | number | null;

/** A result row in the order of the query's columns. */
export type CanonicalRow = readonly CanonicalCell[];

/**
 * Converts row objects of either engine (bigint, number, Date, string...) into canonical rows
 * ordered as `columns`, sorted by the non-float columns then the float ones, so that two
 * engines' results compare row by row regardless of output order. Throws when a column is
 * missing from a row or an int column holds a non-integer.
 */
export function canonicalRows(rows: readonly Readonly<Record<string, unknown>>[], columns: readonly ResultColumn[]): CanonicalRow[] {
  const out = rows.map((r) =>
    columns.map((c) => {
      if (!(c.name in r)) throw new Error(`Result row has no column '${c.name}'; it has ${Object.keys(r).join(', ')}.`);
      return canonicalCell(r[c.name], c);
    }),
  );
  const order = [...columns.keys()].sort((a, b) => Number(columns[a]?.kind === 'float') - Number(columns[b]?.kind === 'float'));
  return out.sort((x, y) => {
    for (const j of order) {
      const d = compareCells(x[j] ?? null, y[j] ?? null, columns[j]?.kind === 'int');
      if (d !== 0) return d;
    }
    return 0;
  });
}

function canonicalCell(v: unknown, c: ResultColumn): CanonicalCell {
  if (v === null || v === undefined) return null;
  switch (c.kind) {
    case 'int': {
      if (typeof v === 'bigint') return v.toString();
      if (v instanceof Date) return String(v.getTime());
      if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v).toString();
      if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v).toString();
      throw new Error(`Column '${c.name}' should hold integers but holds ${String(v)} (${typeof v}).`);
    }
    case 'float':
      return typeof v === 'bigint' ? Number(v) : Number(v);
    case 'str':
      return String(v);
  }
}

/** Orders cells: nulls first, ints by value, everything else by `<`. */
function compareCells(a: CanonicalCell, b: CanonicalCell, isInt: boolean): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  if (isInt) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}
