import { parseDurationMicros } from '../../common/duration.js';
import { describeValue, valueText } from '../../common/describe-value.js';
import { invalidArgument } from '../../common/errors.js';
import type { ColumnOrLiteral } from './column.js';
import { Column, toExpr } from './column.js';
import type { DataType } from '../../common/data-type.js';
import { types, typeName } from '../../common/data-type.js';
import { parseDdlSchema } from '../../common/parse-ddl-schema.js';
import type { Schema } from '../../common/schema.js';
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
  if (typeof c === 'string') return col(c).expr;
  if (c instanceof Column) return c.expr;
  throw invalidArgument(`Expected a column name or a Column such as col('x') or lit(1), got ${describeValue(c)}.`);
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
/** Removes leading and trailing spaces, or leading and trailing characters found in `chars` (Spark's `trim(str, chars)`). */
export function trim(c: ColumnLike, chars?: string): Column {
  return call('trim', chars === undefined ? [exprOf(c)] : [exprOf(c), literalOf(chars)]);
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

function windowArg(text: string, what: string): bigint {
  if (typeof text !== 'string') throw invalidArgument(`window() needs ${what} as a string such as '10 minutes', got ${valueText(text)}.`);
  return parseDurationMicros(text, `window() ${what}`);
}

/**
 * Event-time window of `timeColumn` (Spark's `window`): the column `window` of type
 * `struct<start, end>` (timestamps of the time column's unit and zone) holding the
 * half-open window `[start, end)` that contains the row's time. Windows are aligned to
 * the epoch shifted by `startTime`. Without `slideDuration` (or with it equal to
 * `windowDuration`) the windows tumble: each row is in exactly one. With a shorter slide the
 * windows overlap and each row appears once per window containing it (up to
 * ceil(windowDuration / slideDuration) rows). Rows whose time is null get no window and are
 * dropped, as in Spark. Durations are strings such as '10 minutes', '30 seconds', '1 hour'.
 */
export function window(timeColumn: ColumnLike, windowDuration: string, slideDuration?: string, startTime?: string): Column {
  const d = windowArg(windowDuration, 'windowDuration');
  if (d <= 0n) throw invalidArgument(`window(): windowDuration must be positive, got '${windowDuration}'. Use e.g. '10 minutes'.`);
  const s = slideDuration === undefined ? d : windowArg(slideDuration, 'slideDuration');
  if (s <= 0n) throw invalidArgument(`window(): slideDuration must be positive, got '${slideDuration}'. Use e.g. '1 minute', or omit it for tumbling windows.`);
  if (s > d)
    throw invalidArgument(
      `window(): slideDuration '${slideDuration}' is longer than windowDuration '${windowDuration}', so some rows would fall in no window. Use a slide no longer than the window.`,
    );
  const st = startTime === undefined ? 0n : windowArg(startTime, 'startTime');
  if ((st < 0n ? -st : st) >= s)
    throw invalidArgument(
      `window(): startTime '${startTime}' must be shorter than the slide ('${slideDuration ?? windowDuration}') in absolute value. Take it modulo the slide.`,
    );
  const us = (v: bigint): Expr => Object.freeze({ kind: 'lit', value: v, type: types.int64 });
  return call('window', [exprOf(timeColumn), us(d), us(s), us(st)]);
}

/**
 * Session window of `timeColumn` (Spark's `session_window`), for use as a grouping key:
 * `groupBy(sessionWindow(col('t'), '5 minutes'), 'user')`. Per value of the other grouping
 * keys, rows sorted by time form sessions: a row whose time is at most `gapDuration` after
 * the session's end so far joins it, and each row extends the session to its time plus the
 * gap. The column `session_window` is `struct<start, end>`: start = first row's time, end =
 * last row's time + gap. `gapDuration` is a string ('5 minutes') or a numeric column of
 * milliseconds per row (Spark takes an interval expression); rows with a null time or a gap
 * <= 0 belong to no session and are dropped.
 */
export function sessionWindow(timeColumn: ColumnLike, gapDuration: string | Column): Column {
  let gap: Expr;
  if (typeof gapDuration === 'string') {
    const g = parseDurationMicros(gapDuration, 'sessionWindow() gapDuration');
    if (g <= 0n) throw invalidArgument(`sessionWindow(): gapDuration must be positive, got '${gapDuration}'. Use e.g. '5 minutes'.`);
    gap = Object.freeze({ kind: 'lit', value: g, type: types.int64 });
  } else {
    gap = gapDuration.multiply(1000).cast('bigint').expr;
  }
  return call('session_window', [exprOf(timeColumn), gap]);
}

/**
 * The event time of a window (Spark's `window_time`): `window.end` minus one microsecond,
 * as timestamp[us] with the window's time zone, so a windowed result can be windowed again.
 * Always microseconds, because a millisecond timestamp cannot hold end - 1 µs.
 */
export function windowTime(windowColumn: ColumnLike): Column {
  return call('windowTime', [exprOf(windowColumn)]);
}

/** A struct column with one field per argument, named after the argument (`struct(col('a'), col('b').alias('x'))`). */
export function struct(...cols: (ColumnLike | ColumnLike[])[]): Column {
  const flat = cols.flat();
  if (flat.length === 0) throw invalidArgument('struct() needs at least one column.');
  return call('struct', flat.map(exprOf));
}

/** Options of {@link fromJson}. */
export interface FromJsonOptions {
  /**
   * `PERMISSIVE` (default): a value that is not a JSON object gives null and counts in the
   * batch's `malformedRecords` progress metric. `FAILFAST`: the query fails naming the
   * record (topic, partition and offset when the input has those columns, as a Kafka
   * source's rows do).
   */
  readonly mode?: 'PERMISSIVE' | 'FAILFAST';
}

/**
 * Spark's `from_json`: parses a JSON object held in a string column, or a binary column of
 * UTF-8 bytes (a Kafka `value`), into a struct with `schema` (a DDL string such as
 * `'id BIGINT, name STRING'`, a struct type or a Schema). Fields missing from the object,
 * or whose value does not fit the field's type, are null; timestamps and dates are read
 * from ISO strings (or epoch milliseconds). Use `.getField('id')` to read a field.
 */
export function fromJson(json: ColumnLike, schema: string | DataType | Schema, options: FromJsonOptions = {}): Column {
  let type: DataType;
  if (typeof schema === 'string') type = types.struct(parseDdlSchema(schema).fields);
  else if ('kind' in schema) type = schema;
  else type = types.struct(schema.fields);
  if (type.kind !== 'struct') throw invalidArgument(`fromJson needs a struct schema, got ${typeName(type)}.`);
  const mode = (options.mode ?? 'PERMISSIVE').toUpperCase();
  return call('from_json', [exprOf(json), lit(typeName(type)).expr, lit(mode).expr]);
}
