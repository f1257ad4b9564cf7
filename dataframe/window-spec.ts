import { invalidArgument } from '../common/errors.js';
import type { Column } from './expr/column.js';
import type { Expr, SortOrder, WindowFrame, WindowSpecDef } from './expr/expr.js';

/** A partition or order column: a name or a Column (a Column may carry `.desc()` etc. for ordering). */
export type WindowColumn = string | Column;

function exprOfWindowColumn(c: WindowColumn): Expr {
  if (typeof c === 'string') return Object.freeze({ kind: 'col', name: c, qualifier: null });
  return c.expr;
}

function sortOrderOf(c: WindowColumn): SortOrder {
  const e = exprOfWindowColumn(c);
  if (e.kind === 'sort') return e;
  // Spark's default: ascending, nulls first.
  return Object.freeze({ kind: 'sort', child: e, ascending: true, nullsFirst: true });
}

/** Frame bound value: a number offset, or one of the `Window.*` constants. Infinite values mean unbounded. */
function boundOf(v: number, which: 'start' | 'end', method: string): number | null {
  if (Number.isNaN(v)) throw invalidArgument(`${method}: a frame bound cannot be NaN.`);
  if (v === Number.NEGATIVE_INFINITY || v <= Number.MIN_SAFE_INTEGER) {
    if (which === 'end') throw invalidArgument(`${method}: the frame end cannot be Window.unboundedPreceding.`);
    return null;
  }
  if (v === Number.POSITIVE_INFINITY || v >= Number.MAX_SAFE_INTEGER) {
    if (which === 'start') throw invalidArgument(`${method}: the frame start cannot be Window.unboundedFollowing.`);
    return null;
  }
  return v;
}

/**
 * A window specification, Spark's `WindowSpec`: which rows are the partition of a row
 * (`partitionBy`), how they are ordered (`orderBy`) and which of them form the row's frame
 * (`rowsBetween` / `rangeBetween`). Immutable; each method returns a new spec. Use it with
 * `Column.over(spec)` on an aggregate (count, countDistinct, sum, avg, min, max, and the percentiles):
 *
 * ```ts
 * const w = Window.partitionBy('card_id').orderBy('event_time').rangeBetween(-120_000, Window.currentRow);
 * tx.select(col('card_id'), count().over(w).alias('n'), countDistinct('merchant_id').over(w).alias('n_merchants'));
 * ```
 *
 * Without a frame the default is Spark's: with an order, RANGE BETWEEN UNBOUNDED PRECEDING
 * AND CURRENT ROW (a running aggregate where rows with equal order values are peers);
 * without one, the whole partition. RANGE offsets are in the order key's unit:
 * **milliseconds for a timestamp order key** (Spark takes an interval), days for a date,
 * the value itself for numbers.
 */
export class WindowSpec {
  /** The plain specification carried by window expressions. */
  readonly def: WindowSpecDef;

  constructor(def: WindowSpecDef) {
    this.def = Object.freeze(def);
  }

  /** Partitions by these columns (replacing any earlier partitioning). */
  partitionBy(...cols: (WindowColumn | WindowColumn[])[]): WindowSpec {
    return new WindowSpec({ ...this.def, partitionBy: Object.freeze(cols.flat().map(exprOfWindowColumn)) });
  }

  /** Orders each partition by these columns (ascending, nulls first, unless given as `col(x).desc()` etc.). */
  orderBy(...cols: (WindowColumn | WindowColumn[])[]): WindowSpec {
    return new WindowSpec({ ...this.def, orderBy: Object.freeze(cols.flat().map(sortOrderOf)) });
  }

  /**
   * A ROWS frame: from `start` rows before/after the current row to `end` (negative =
   * preceding, 0 = the current row; `Window.unboundedPreceding` / `unboundedFollowing`).
   */
  rowsBetween(start: number, end: number): WindowSpec {
    return this.withFrame({ type: 'rows', start: boundOf(start, 'start', 'rowsBetween'), end: boundOf(end, 'end', 'rowsBetween') });
  }

  /**
   * A RANGE frame: the rows whose order value lies in `[value + start, value + end]`
   * (inclusive; for a descending order, preceding means larger values). Offsets other than
   * 0 and unbounded need exactly one numeric, date or timestamp order key; for a timestamp
   * they are milliseconds. A bound of `Window.currentRow` includes all peers of the row.
   */
  rangeBetween(start: number, end: number): WindowSpec {
    return this.withFrame({ type: 'range', start: boundOf(start, 'start', 'rangeBetween'), end: boundOf(end, 'end', 'rangeBetween') });
  }

  private withFrame(frame: WindowFrame): WindowSpec {
    return new WindowSpec({ ...this.def, frame: Object.freeze(frame) });
  }
}

const EMPTY: WindowSpecDef = Object.freeze({ partitionBy: Object.freeze([]), orderBy: Object.freeze([]), frame: null });

/**
 * Entry points of window specifications, Spark's `Window` object:
 * `Window.partitionBy('card_id').orderBy('event_time').rangeBetween(-120_000, Window.currentRow)`.
 */
export class Window {
  private constructor() {}

  /** Frame bound: the first row of the partition. */
  static readonly unboundedPreceding: number = Number.NEGATIVE_INFINITY;
  /** Frame bound: the last row of the partition. */
  static readonly unboundedFollowing: number = Number.POSITIVE_INFINITY;
  /** Frame bound: the current row (for RANGE frames: the current row and its peers). */
  static readonly currentRow: number = 0;

  /** A spec partitioned by these columns. */
  static partitionBy(...cols: (WindowColumn | WindowColumn[])[]): WindowSpec {
    return new WindowSpec(EMPTY).partitionBy(...cols);
  }

  /** A spec over one partition (all rows) ordered by these columns. */
  static orderBy(...cols: (WindowColumn | WindowColumn[])[]): WindowSpec {
    return new WindowSpec(EMPTY).orderBy(...cols);
  }

  /** A spec over all rows as one partition with a ROWS frame. */
  static rowsBetween(start: number, end: number): WindowSpec {
    return new WindowSpec(EMPTY).rowsBetween(start, end);
  }

  /** A spec over all rows as one partition with a RANGE frame. */
  static rangeBetween(start: number, end: number): WindowSpec {
    return new WindowSpec(EMPTY).rangeBetween(start, end);
  }
}
