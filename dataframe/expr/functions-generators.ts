import { Column } from './column.js';
import type { GeneratorFunctionName } from './collection-function-names.js';
import { type ColumnLike, exprOf } from './functions.js';

function generator(fn: GeneratorFunctionName, c: ColumnLike): Column {
  return new Column(Object.freeze({ kind: 'call', fn, args: Object.freeze([exprOf(c)]) }));
}

/**
 * One row per element of an array (column `col`) or entry of a map (columns `key` and
 * `value`), the other selected columns repeated; a null or empty input gives no row
 * (Spark's `explode`). Use it as a whole select()/withColumn() expression.
 */
export function explode(c: ColumnLike): Column {
  return generator('explode', c);
}
/** Like {@link explode}, but a null or empty input gives one row with null element columns (Spark's `explode_outer`). */
export function explodeOuter(c: ColumnLike): Column {
  return generator('explodeOuter', c);
}
/** Like {@link explode}, with the 0-based position as a first column `pos` (Spark's `posexplode`). */
export function posexplode(c: ColumnLike): Column {
  return generator('posexplode', c);
}
/** Like {@link posexplode}, but a null or empty input gives one row of nulls (Spark's `posexplode_outer`). */
export function posexplodeOuter(c: ColumnLike): Column {
  return generator('posexplodeOuter', c);
}
