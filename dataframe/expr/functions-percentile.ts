import { invalidArgument } from '../../common/errors.js';
import { Column } from './column.js';
import type { ColumnLike } from './functions.js';
import { exprOf } from './functions.js';
import type { PercentileFunctionName } from './percentile-options.js';
import { DEFAULT_PERCENTILE_ACCURACY, percentileArgs } from './percentile-options.js';

function percentileCall(fn: PercentileFunctionName, c: ColumnLike, percentage: number | readonly number[], accuracy: number): Column {
  const asArray = Array.isArray(percentage);
  const ps = asArray ? [...(percentage as readonly number[])] : [percentage as number];
  if (ps.length === 0) throw invalidArgument(`${fn}: pass at least one percentage.`);
  return new Column(Object.freeze({ kind: 'agg', fn, args: Object.freeze(percentileArgs(fn, exprOf(c), ps, asArray, accuracy)) }));
}

/**
 * Spark's `percentile_approx`: the smallest value of the group such that at least
 * `percentage` of the group's non-null values are less than or equal to it, always an actual
 * input value of the column's type (numeric, date or timestamp). With an array of
 * percentages it returns an array of such values. `accuracy` (default 10000) bounds Spark's
 * relative rank error by 1/accuracy; Sluice keeps every value of a group and answers exactly
 * (rank ceil(percentage * n)), which is within that bound and equal to Spark's answer when
 * Spark's sketch is exact. Null for a group without non-null values.
 */
export function percentileApprox(c: ColumnLike, percentage: number | readonly number[], accuracy = DEFAULT_PERCENTILE_ACCURACY): Column {
  return percentileCall('percentileApprox', c, percentage, accuracy);
}

/**
 * Spark's exact `percentile`: the value at position percentage * (n - 1) of the group's
 * sorted non-null values, linearly interpolated between the two nearest values, as a
 * double (an array of doubles for an array of percentages).
 */
export function percentile(c: ColumnLike, percentage: number | readonly number[]): Column {
  return percentileCall('percentile', c, percentage, DEFAULT_PERCENTILE_ACCURACY);
}

/** Spark's `median`: `percentile(c, 0.5)`, the exact interpolated median as a double. */
export function median(c: ColumnLike): Column {
  return percentileCall('median', c, 0.5, DEFAULT_PERCENTILE_ACCURACY);
}
