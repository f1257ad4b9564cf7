/**
 * One way to compare query results across engines: values are normalised (bigint and
 * safe integers to numbers, dates to epoch ms, doubles to 10 significant digits, arrays
 * sorted when asked) and rows sorted canonically unless order matters.
 */

type Plain = null | number | string | boolean | Plain[];

function norm(v: unknown, sortArrays: boolean): Plain {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'NaN';
    if (Number.isInteger(v)) return v;
    return Number(v.toPrecision(10));
  }
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) {
    const a = v.map((x) => norm(x, sortArrays));
    return sortArrays ? a.sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : JSON.stringify(x) > JSON.stringify(y) ? 1 : 0)) : a;
  }
  if (typeof v === 'object' && 'toString' in v) return String(v);
  return String(v);
}

/** Rows as arrays of normalised values in the given column order. */
export function normalizeRows(
  rows: readonly Record<string, unknown>[],
  columns: readonly string[],
  options: { ordered?: boolean; sortArrays?: boolean } = {},
): Plain[][] {
  const out = rows.map((r) => columns.map((c) => norm(r[c], options.sortArrays ?? true)));
  if (options.ordered) return out;
  return out.sort((a, b) => {
    const x = JSON.stringify(a);
    const y = JSON.stringify(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
