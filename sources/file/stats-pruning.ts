import type { DataType } from '../../common/data-type.js';
import { bytesCompare, encodeUtf8 } from '../../common/utf8.js';
import type { BinaryOp, Expr, Literal } from '../../dataframe/expr/expr.js';
import type { StatValue } from './parquet-footer.js';

/** What pruning knows about one column within a row group (or a whole partition folder). */
export interface ColumnRange {
  /** The column's Sluice type (decides how literals are compared with the bounds). */
  readonly type: DataType;
  /** Smallest and largest non-null value, or null when unknown. */
  readonly min: StatValue | null;
  readonly max: StatValue | null;
  /** Number of null values, or null when unknown. */
  readonly nullCount: number | null;
  /** Rows in the row group. */
  readonly numRows: number;
}

/** Looks up the range of a column by name; null when nothing is known. */
export type RangeLookup = (column: string) => ColumnRange | null;

type Cmp = '=' | '<' | '<=' | '>' | '>=' | '!=';

const FLIP: Record<Cmp, Cmp> = { '=': '=', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
const NEGATE: Record<Cmp, Cmp> = { '=': '!=', '!=': '=', '<': '>=', '<=': '>', '>': '<=', '>=': '<' };

/** The column a side of a comparison reads, seeing through widening numeric casts. */
function columnOf(e: Expr): string | null {
  if (e.kind === 'col') return e.name;
  if (e.kind === 'cast' && e.child.kind === 'col' && (e.to.kind === 'int64' || e.to.kind === 'float64')) return e.child.name;
  return null;
}

/** A literal converted to the comparable form of a column of `type`, or undefined when it cannot be compared. */
function literalFor(lit: Literal, type: DataType): StatValue | null | undefined {
  const v = lit.value;
  if (v === null) return null;
  switch (type.kind) {
    case 'int32':
    case 'date':
    case 'float64':
      if (typeof v === 'number') return v;
      if (typeof v === 'bigint') return Number(v);
      return undefined;
    case 'int64':
      if (typeof v === 'bigint') return v;
      if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : undefined;
      return undefined;
    case 'timestamp': {
      if (typeof v !== 'bigint' && !(typeof v === 'number' && Number.isInteger(v))) return undefined;
      const unit = lit.type.kind === 'timestamp' ? lit.type.unit : type.unit;
      const b = BigInt(v);
      return unit === 'ms' ? b * 1000n : b;
    }
    case 'utf8':
      return typeof v === 'string' ? encodeUtf8(v) : undefined;
    default:
      return undefined;
  }
}

/** Compares two stat values of one kind; NaN when they cannot be compared. */
function compare(a: StatValue, b: StatValue): number {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return bytesCompare(a, 0, a.length, b, 0, b.length);
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : a === b ? 0 : Number.NaN;
  if (typeof a === 'bigint' && typeof b === 'number') return Number.isInteger(b) ? compare(a, BigInt(b)) : compare(Number(a), b);
  if (typeof a === 'number' && typeof b === 'bigint') return -compare(b, a);
  return Number.NaN;
}

/** Can some row with a value in `r` satisfy `column op value`? */
function rangeMayMatch(r: ColumnRange, op: Cmp, value: StatValue): boolean {
  if (r.nullCount !== null && r.nullCount >= r.numRows) return false;
  const { min, max } = r;
  if (min === null || max === null) return true;
  const cMin = compare(min, value);
  const cMax = compare(max, value);
  if (Number.isNaN(cMin) || Number.isNaN(cMax)) return true;
  switch (op) {
    case '=':
      return cMin <= 0 && cMax >= 0;
    case '!=':
      return !(cMin === 0 && cMax === 0);
    case '<':
      return cMin < 0;
    case '<=':
      return cMin <= 0;
    case '>':
      return cMax > 0;
    case '>=':
      return cMax >= 0;
  }
}

function comparisonMayMatch(op: Cmp, left: Expr, right: Expr, lookup: RangeLookup): boolean {
  let col = columnOf(left);
  let lit: Expr = right;
  if (col === null || right.kind !== 'lit') {
    col = columnOf(right);
    lit = left;
    op = FLIP[op];
  }
  if (col === null || lit.kind !== 'lit') return true;
  const r = lookup(col);
  if (r === null) return true;
  const value = literalFor(lit, r.type);
  if (value === undefined) return true;
  // A comparison with null is null, which a filter treats as false.
  if (value === null) return false;
  return rangeMayMatch(r, op, value);
}

function nullTestMayMatch(isNull: boolean, child: Expr, lookup: RangeLookup): boolean {
  const col = columnOf(child);
  if (col === null) return true;
  const r = lookup(col);
  if (r === null || r.nullCount === null) return true;
  return isNull ? r.nullCount > 0 : r.nullCount < r.numRows;
}

const CMP_OPS = new Set<BinaryOp>(['=', '!=', '<', '<=', '>', '>=']);

/**
 * Whether some row described by `lookup` may satisfy `e`. Understands comparisons of a
 * column with a literal (either side), `<=>`, IN lists of literals, isNull / isNotNull, NOT
 * of those, and AND / OR; anything else may match. Conservative: true unless the ranges
 * prove that no row can match.
 */
export function mayMatch(e: Expr, lookup: RangeLookup): boolean {
  switch (e.kind) {
    case 'binary':
      if (e.op === 'and') return mayMatch(e.left, lookup) && mayMatch(e.right, lookup);
      if (e.op === 'or') return mayMatch(e.left, lookup) || mayMatch(e.right, lookup);
      if (e.op === '<=>') {
        if (e.right.kind === 'lit' && e.right.value === null) return nullTestMayMatch(true, e.left, lookup);
        if (e.left.kind === 'lit' && e.left.value === null) return nullTestMayMatch(true, e.right, lookup);
        return comparisonMayMatch('=', e.left, e.right, lookup);
      }
      if (CMP_OPS.has(e.op)) return comparisonMayMatch(e.op as Cmp, e.left, e.right, lookup);
      return true;
    case 'unary':
      if (e.op === 'isNull' || e.op === 'isNotNull') return nullTestMayMatch(e.op === 'isNull', e.child, lookup);
      if (e.op === 'not') return notMayMatch(e.child, lookup);
      return true;
    case 'in':
      return e.list.some((item) => comparisonMayMatch('=', e.child, item, lookup));
    case 'lit':
      return e.value !== false && e.value !== null;
    default:
      return true;
  }
}

function notMayMatch(e: Expr, lookup: RangeLookup): boolean {
  if (e.kind === 'unary' && (e.op === 'isNull' || e.op === 'isNotNull')) return nullTestMayMatch(e.op !== 'isNull', e.child, lookup);
  if (e.kind === 'unary' && e.op === 'not') return mayMatch(e.child, lookup);
  if (e.kind === 'binary' && CMP_OPS.has(e.op)) return comparisonMayMatch(NEGATE[e.op as Cmp], e.left, e.right, lookup);
  if (e.kind === 'binary' && e.op === 'and') return notMayMatch(e.left, lookup) || notMayMatch(e.right, lookup);
  if (e.kind === 'binary' && e.op === 'or') return notMayMatch(e.left, lookup) && notMayMatch(e.right, lookup);
  return true;
}
