import { Column, type ColumnOrLiteral, toExpr } from './column.js';
import type { Expr } from './expr.js';
import { type ColumnLike, exprOf } from './functions.js';
import { literalOf } from './literal-of.js';
import type { WindowFunctionName } from './window-functions.js';

function windowFn(fn: WindowFunctionName, args: readonly Expr[]): Column {
  return new Column(Object.freeze({ kind: 'agg', fn, args: Object.freeze([...args]) }));
}

/** Sequential number of the row within its window partition, from 1 (Spark's `row_number`); use with `.over(w)` on an ordered window. */
export function rowNumber(): Column {
  return windowFn('rowNumber', []);
}
/** Rank of the row within its partition with gaps: peers (equal order values) share a rank (Spark's `rank`). */
export function rank(): Column {
  return windowFn('rank', []);
}
/** Rank of the row within its partition without gaps (Spark's `dense_rank`). */
export function denseRank(): Column {
  return windowFn('denseRank', []);
}
/** `(rank - 1) / (rows in partition - 1)`, 0 for a one-row partition (Spark's `percent_rank`). */
export function percentRank(): Column {
  return windowFn('percentRank', []);
}
/** Fraction of the partition's rows ordered at or before the row, peers included (Spark's `cume_dist`). */
export function cumeDist(): Column {
  return windowFn('cumeDist', []);
}
/** Bucket number 1..n of the row when its partition is split into `n` near-equal buckets in order (Spark's `ntile`). */
export function ntile(n: number): Column {
  return windowFn('ntile', [literalOf(n)]);
}
/**
 * The value of `c` `offset` rows before the current row within its partition, or `defaultValue`
 * (null unless given) when there is no such row (Spark's `lag`).
 */
export function lag(c: ColumnLike, offset = 1, defaultValue: ColumnOrLiteral = null): Column {
  return windowFn('lag', [exprOf(c), literalOf(offset), toExpr(defaultValue)]);
}
/** The value of `c` `offset` rows after the current row within its partition, else `defaultValue` (Spark's `lead`). */
export function lead(c: ColumnLike, offset = 1, defaultValue: ColumnOrLiteral = null): Column {
  return windowFn('lead', [exprOf(c), literalOf(offset), toExpr(defaultValue)]);
}
/** The value of `c` at the first row of the row's frame (the first non-null one with `ignoreNulls`), Spark's `first_value`. */
export function firstValue(c: ColumnLike, ignoreNulls = false): Column {
  return windowFn('firstValue', [exprOf(c), literalOf(ignoreNulls)]);
}
/** The value of `c` at the last row of the row's frame (the last non-null one with `ignoreNulls`), Spark's `last_value`. */
export function lastValue(c: ColumnLike, ignoreNulls = false): Column {
  return windowFn('lastValue', [exprOf(c), literalOf(ignoreNulls)]);
}
