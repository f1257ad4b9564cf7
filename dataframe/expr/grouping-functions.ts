import { SluiceError } from '../../common/errors.js';
import { Column } from './column.js';
import type { AggCall } from './expr.js';
import type { ColumnLike } from './functions.js';
import { exprOf } from './functions.js';

/**
 * Spark's `grouping(col)`: in an aggregation by cube, rollup or groupingSets, 1 when `col`
 * is aggregated away in the row's grouping set (its null stands for "all"), else 0 (an int;
 * Spark's is a tinyint). Only valid as its own column in `.agg(...)` of those groupings.
 */
export function grouping(c: ColumnLike): Column {
  return new Column(Object.freeze({ kind: 'agg', fn: 'grouping', args: Object.freeze([exprOf(c)]) }));
}

/**
 * Spark's `grouping_id()`: in an aggregation by cube, rollup or groupingSets, the bit vector
 * of `grouping(k)` over the grouping columns k1..kn, k1 the most significant bit, as a
 * bigint. With columns, the bit vector over those columns instead.
 */
export function groupingId(...cols: ColumnLike[]): Column {
  return new Column(Object.freeze({ kind: 'agg', fn: 'groupingId', args: Object.freeze(cols.map(exprOf)) }));
}

/** The error for grouping()/grouping_id() where no grouping sets are. */
export function groupingOutsideGroupingSets(call: AggCall): SluiceError {
  const name = call.fn === 'grouping' ? 'grouping()' : 'groupingId()';
  return new SluiceError(
    'INVALID_PLAN',
    `${name} is only allowed as its own column in .agg(...) after cube(), rollup() or groupingSets(), e.g. df.cube('a', 'b').agg(sum('x'), ${call.fn === 'grouping' ? "grouping('a')" : 'groupingId()'}).`,
  );
}
