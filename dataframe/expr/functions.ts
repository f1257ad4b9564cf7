import { invalidArgument } from '../../common/errors.js';
import type { ColumnOrLiteral } from './column.js';
import { Column, toExpr } from './column.js';
import type { AggregateFunctionName, Expr, ScalarFunctionName } from './expr.js';
import type { LiteralInput } from './literal-of.js';
import { literalOf } from './literal-of.js';

/** A column given by name or as a Column. Aggregate and scalar functions accept both, as Spark's do. */
export type ColumnLike = string | Column;

/** A column by name; `'t.id'` refers to column `id` of the DataFrame aliased `t`; `'*'` is all columns. */
export function col(name: string): Column {
  if (name === '*') return new Column(Object.freeze({ kind: 'star', qualifier: null }));
  const dot = name.lastIndexOf('.');
  if (dot > 0 && dot < name.length - 1) {
    const qualifier = name.slice(0, dot);
    const rest = name.slice(dot + 1);
    if (rest === '*') return new Column(Object.freeze({ kind: 'star', qualifier }));
    return new Column(Object.freeze({ kind: 'col', name: rest, qualifier }));
  }
  return new Column(Object.freeze({ kind: 'col', name, qualifier: null }));
}

/** Alias of {@link col}. */
export const column = col;

/** A constant column. */
export function lit(value: LiteralInput): Column {
  return new Column(literalOf(value));
}

/** Converts a name or Column to an expression node. */
export function exprOf(c: ColumnLike): Expr {
  return typeof c === 'string' ? col(c).expr : c.expr;
}

function call(fn: ScalarFunctionName, args: readonly Expr[]): Column {
  return new Column(Object.freeze({ kind: 'call', fn, args: Object.freeze([...args]) }));
}

function agg(fn: AggregateFunctionName, args: readonly Expr[]): Column {
  return new Column(Object.freeze({ kind: 'agg', fn, args: Object.freeze([...args]) }));
}

/** `CASE WHEN condition THEN value`; chain `.when(...)` and `.otherwise(...)`. */
export function when(condition: Column, value: ColumnOrLiteral): Column {
  return new Column(Object.freeze({ kind: 'case', branches: Object.freeze([Object.freeze({ when: condition.expr, then: toExpr(value) })]), otherwise: null }));
}

/** Boolean NOT. */
export function not(c: Column): Column {
  return c.not();
}

/** The first non-null argument. */
export function coalesce(...cols: ColumnLike[]): Column {
  if (cols.length === 0) throw invalidArgument('coalesce() needs at least one column.');
  return call('coalesce', cols.map(exprOf));
}

/** Lower-case string. */
export function lower(c: ColumnLike): Column {
  return call('lower', [exprOf(c)]);
}
/** Upper-case string. */
export function upper(c: ColumnLike): Column {
  return call('upper', [exprOf(c)]);
}
/** Removes leading and trailing spaces. */
export function trim(c: ColumnLike): Column {
  return call('trim', [exprOf(c)]);
}
/** String length in characters. */
export function length(c: ColumnLike): Column {
  return call('length', [exprOf(c)]);
}
/** Substring from 1-based `pos` of `len` characters (Spark's `substring`). */
export function substring(c: ColumnLike, pos: number, len: number): Column {
  return call('substring', [exprOf(c), literalOf(pos), literalOf(len)]);
}
/** Concatenates strings; null if any argument is null. */
export function concat(...cols: ColumnLike[]): Column {
  return call('concat', cols.map(exprOf));
}
/** SQL LIKE. */
export function like(c: ColumnLike, pattern: string): Column {
  return call('like', [exprOf(c), literalOf(pattern)]);
}
/** True when the string starts with `prefix`. */
export function startsWith(c: ColumnLike, prefix: ColumnOrLiteral): Column {
  return call('startsWith', [exprOf(c), toExpr(prefix)]);
}
/** True when the string ends with `suffix`. */
export function endsWith(c: ColumnLike, suffix: ColumnOrLiteral): Column {
  return call('endsWith', [exprOf(c), toExpr(suffix)]);
}
/** True when the string contains `part`. */
export function contains(c: ColumnLike, part: ColumnOrLiteral): Column {
  return call('contains', [exprOf(c), toExpr(part)]);
}
/** Year of a timestamp or date (UTC). */
export function year(c: ColumnLike): Column {
  return call('year', [exprOf(c)]);
}
/** Month 1-12 (UTC). */
export function month(c: ColumnLike): Column {
  return call('month', [exprOf(c)]);
}
/** Day of month 1-31 (UTC). */
export function dayofmonth(c: ColumnLike): Column {
  return call('dayofmonth', [exprOf(c)]);
}
/** Hour 0-23 (UTC). */
export function hour(c: ColumnLike): Column {
  return call('hour', [exprOf(c)]);
}
/** Minute 0-59. */
export function minute(c: ColumnLike): Column {
  return call('minute', [exprOf(c)]);
}
/** Second 0-59. */
export function second(c: ColumnLike): Column {
  return call('second', [exprOf(c)]);
}
/** Truncates a timestamp to `unit`: 'year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second' (Spark's date_trunc). */
export function dateTrunc(unit: string, c: ColumnLike): Column {
  return call('dateTrunc', [literalOf(unit), exprOf(c)]);
}
/** Milliseconds since the epoch of a timestamp (bigint). */
export function unixMillis(c: ColumnLike): Column {
  return call('unixMillis', [exprOf(c)]);
}
/** Seconds since the epoch of a timestamp (bigint). */
export function unixSeconds(c: ColumnLike): Column {
  return call('unixSeconds', [exprOf(c)]);
}
/** Formats seconds since the epoch as 'yyyy-MM-dd HH:mm:ss' in UTC (Spark's from_unixtime). */
export function fromUnixTime(c: ColumnLike, format?: string): Column {
  return call('fromUnixTime', format === undefined ? [exprOf(c)] : [exprOf(c), literalOf(format)]);
}
/** Parses an ISO 8601 string (or seconds since the epoch) to a timestamp. */
export function toTimestamp(c: ColumnLike, format?: string): Column {
  return call('toTimestamp', format === undefined ? [exprOf(c)] : [exprOf(c), literalOf(format)]);
}
/** Converts a string or timestamp to a date. */
export function toDate(c: ColumnLike): Column {
  return call('toDate', [exprOf(c)]);
}
/** Absolute value. */
export function abs(c: ColumnLike): Column {
  return call('abs', [exprOf(c)]);
}
/** Rounds half up to `scale` decimal places. */
export function round(c: ColumnLike, scale = 0): Column {
  return call('round', [exprOf(c), literalOf(scale)]);
}
/** Largest integer not above (bigint). */
export function floor(c: ColumnLike): Column {
  return call('floor', [exprOf(c)]);
}
/** Smallest integer not below (bigint). */
export function ceil(c: ColumnLike): Column {
  return call('ceil', [exprOf(c)]);
}
/** Square root (double; NaN for negative input, as Spark). */
export function sqrt(c: ColumnLike): Column {
  return call('sqrt', [exprOf(c)]);
}

/** `count()` or `count('*')` counts rows; `count(c)` counts non-null values. */
export function count(c?: ColumnLike): Column {
  if (c === undefined || c === '*') return agg('count', []);
  return agg('count', [exprOf(c)]);
}
/** Number of distinct non-null values (of one column or a combination). */
export function countDistinct(...cols: ColumnLike[]): Column {
  if (cols.length !== 1) throw invalidArgument('countDistinct() takes exactly one column here; combine columns with concat() if needed.');
  return agg('countDistinct', cols.map(exprOf));
}
/** Approximate distinct count (HyperLogLog++), relative standard deviation `rsd` (default 0.05). */
export function approxCountDistinct(c: ColumnLike, rsd?: number): Column {
  return agg('approxCountDistinct', rsd === undefined ? [exprOf(c)] : [exprOf(c), literalOf(rsd)]);
}
/** Sum of non-null values (null when there are none). */
export function sum(c: ColumnLike): Column {
  return agg('sum', [exprOf(c)]);
}
/** Average of non-null values. */
export function avg(c: ColumnLike): Column {
  return agg('avg', [exprOf(c)]);
}
/** Alias of {@link avg}. */
export const mean = avg;
/** Minimum. */
export function min(c: ColumnLike): Column {
  return agg('min', [exprOf(c)]);
}
/** Maximum. */
export function max(c: ColumnLike): Column {
  return agg('max', [exprOf(c)]);
}
/** First value in input order (`ignoreNulls` skips nulls). */
export function first(c: ColumnLike, ignoreNulls = false): Column {
  return agg('first', [exprOf(c), literalOf(ignoreNulls)]);
}
/** Last value in input order (`ignoreNulls` skips nulls). */
export function last(c: ColumnLike, ignoreNulls = false): Column {
  return agg('last', [exprOf(c), literalOf(ignoreNulls)]);
}
/** Sample standard deviation. */
export function stddev(c: ColumnLike): Column {
  return agg('stddev', [exprOf(c)]);
}
/** Population standard deviation. */
export function stddevPop(c: ColumnLike): Column {
  return agg('stddevPop', [exprOf(c)]);
}
/** Sample variance. */
export function variance(c: ColumnLike): Column {
  return agg('variance', [exprOf(c)]);
}
/** Population variance. */
export function varPop(c: ColumnLike): Column {
  return agg('varPop', [exprOf(c)]);
}
/** The non-null values of each group as an array. */
export function collectList(c: ColumnLike): Column {
  return agg('collectList', [exprOf(c)]);
}
/** The distinct non-null values of each group as an array. */
export function collectSet(c: ColumnLike): Column {
  return agg('collectSet', [exprOf(c)]);
}
/** Ascending sort order of a column. */
export function asc(c: ColumnLike): Column {
  return typeof c === 'string' ? col(c).asc() : c.asc();
}
/** Descending sort order of a column. */
export function desc(c: ColumnLike): Column {
  return typeof c === 'string' ? col(c).desc() : c.desc();
}
