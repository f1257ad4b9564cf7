import { Column, type ColumnOrLiteral, toExpr } from './column.js';
import type { CollectionFunctionName } from './collection-function-names.js';
import type { Expr } from './expr.js';
import { type ColumnLike, exprOf } from './functions.js';
import { literalOf } from './literal-of.js';

function call(fn: CollectionFunctionName, args: readonly Expr[]): Column {
  return new Column(Object.freeze({ kind: 'call', fn, args: Object.freeze([...args]) }));
}

/** An array of the columns' values, one element per column (Spark's `array`); numbers widen to one type. */
export function array(...cols: (ColumnLike | ColumnLike[])[]): Column {
  return call('array', cols.flat().map(exprOf));
}
/** True when the array holds `value`; null when no element matches and the array holds a null (Spark's `array_contains`). */
export function arrayContains(c: ColumnLike, value: ColumnOrLiteral): Column {
  return call('arrayContains', [exprOf(c), toExpr(value)]);
}
/** Number of elements of an array or entries of a map; -1 for null (Spark's `size`, non-ANSI). */
export function size(c: ColumnLike): Column {
  return call('size', [exprOf(c)]);
}
/**
 * Spark's `element_at`: the 1-based `index`-th element of an array (negative counts from
 * the end; null out of range), or the value under a key of a map (null when absent).
 */
export function elementAt(c: ColumnLike, indexOrKey: ColumnOrLiteral): Column {
  return call('elementAt', [exprOf(c), toExpr(indexOrKey)]);
}
/** The string elements joined by `delimiter`; nulls skipped, or replaced by `nullReplacement` (Spark's `array_join`). */
export function arrayJoin(c: ColumnLike, delimiter: string, nullReplacement?: string): Column {
  return call('arrayJoin', [exprOf(c), literalOf(delimiter), ...(nullReplacement === undefined ? [] : [literalOf(nullReplacement)])]);
}
/** The array sorted ascending (nulls first) or descending (nulls last), Spark's `sort_array`. */
export function sortArray(c: ColumnLike, asc = true): Column {
  return call('sortArray', [exprOf(c), literalOf(asc)]);
}
/** The array without duplicate elements, first occurrences kept in order (Spark's `array_distinct`). */
export function arrayDistinct(c: ColumnLike): Column {
  return call('arrayDistinct', [exprOf(c)]);
}
/** Largest non-null element (Spark's `array_max`). */
export function arrayMax(c: ColumnLike): Column {
  return call('arrayMax', [exprOf(c)]);
}
/** Smallest non-null element (Spark's `array_min`). */
export function arrayMin(c: ColumnLike): Column {
  return call('arrayMin', [exprOf(c)]);
}
/** A map from key/value column pairs `(k1, v1, k2, v2, ...)`, Spark's `map` / `create_map`; a later duplicate key wins. */
export function createMap(...cols: (ColumnLike | ColumnLike[])[]): Column {
  return call('map', cols.flat().map(exprOf));
}
/** Alias of {@link createMap} (Spark SQL's `map(...)`). */
export const map = createMap;
/** The keys of a map as an array (Spark's `map_keys`). */
export function mapKeys(c: ColumnLike): Column {
  return call('mapKeys', [exprOf(c)]);
}
/** The values of a map as an array (Spark's `map_values`). */
export function mapValues(c: ColumnLike): Column {
  return call('mapValues', [exprOf(c)]);
}
