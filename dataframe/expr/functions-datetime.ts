import { Column } from './column.js';
import type { Expr, ScalarFunctionName } from './expr.js';
import type { ColumnLike } from './functions.js';
import { exprOf } from './functions.js';
import { intervalExpr, parseInterval } from './interval.js';
import { literalOf } from './literal-of.js';

/**
 * Date and time functions (Spark's, camelCase), in UTC. Date arguments accept dates,
 * timestamps (their day) and ISO strings; timestamp arguments accept timestamps, dates
 * (midnight) and ISO strings. A column may be given by name or as a Column.
 */

function call(fn: ScalarFunctionName, args: readonly Expr[]): Column {
  return new Column(Object.freeze({ kind: 'call', fn, args: Object.freeze([...args]) }));
}

const intOf = (v: number | Column): Expr => (v instanceof Column ? v.expr : literalOf(v));

/** Spark's `date_add`: the date `days` after `start`. */
export function dateAdd(start: ColumnLike, days: number | Column): Column {
  return call('dateAdd', [exprOf(start), intOf(days)]);
}

/** Spark's `date_sub`: the date `days` before `start`. */
export function dateSub(start: ColumnLike, days: number | Column): Column {
  return call('dateSub', [exprOf(start), intOf(days)]);
}

/** Spark's `datediff`: days from `start` to `end`. */
export function datediff(end: ColumnLike, start: ColumnLike): Column {
  return call('datediff', [exprOf(end), exprOf(start)]);
}

/** Spark's `months_between`: months from `date2` to `date1` (a double, rounded to 8 places unless `roundOff` is false). */
export function monthsBetween(date1: ColumnLike, date2: ColumnLike, roundOff = true): Column {
  return call('monthsBetween', [exprOf(date1), exprOf(date2), literalOf(roundOff)]);
}

/** Spark's `add_months`: the date `months` later, the day clamped to the end of a shorter month. */
export function addMonths(start: ColumnLike, months: number | Column): Column {
  return call('addMonths', [exprOf(start), intOf(months)]);
}

/** Spark's `date_format`: a timestamp or date as text in a Spark datetime pattern ('yyyy-MM-dd HH:mm', 'EEE, d MMM yyyy'...). */
export function dateFormat(date: ColumnLike, format: string): Column {
  return call('dateFormat', [exprOf(date), literalOf(format)]);
}

/** Spark's `dayofweek`: 1 = Sunday ... 7 = Saturday. */
export function dayofweek(date: ColumnLike): Column {
  return call('dayofweek', [exprOf(date)]);
}

/** Spark's `dayofyear`: 1-366. */
export function dayofyear(date: ColumnLike): Column {
  return call('dayofyear', [exprOf(date)]);
}

/** Spark's `weekofyear`: the ISO 8601 week number. */
export function weekofyear(date: ColumnLike): Column {
  return call('weekofyear', [exprOf(date)]);
}

/** Spark's `quarter`: 1-4. */
export function quarter(date: ColumnLike): Column {
  return call('quarter', [exprOf(date)]);
}

/** Spark's `last_day`: the last day of the month. */
export function lastDay(date: ColumnLike): Column {
  return call('lastDay', [exprOf(date)]);
}

/** Spark's `next_day`: the first date after `date` on `dayOfWeek` ('Mon', 'Tue', ...). */
export function nextDay(date: ColumnLike, dayOfWeek: string): Column {
  return call('nextDay', [exprOf(date), literalOf(dayOfWeek)]);
}

/** Spark's `trunc` of a date to 'year', 'quarter', 'month' or 'week' (see {@link dateTrunc} for timestamps). */
export function trunc(date: ColumnLike, format: string): Column {
  return call('trunc', [exprOf(date), literalOf(format)]);
}

/**
 * A calendar interval literal (Spark's `INTERVAL '10' MINUTE`) from text such as
 * '10 minutes', '1 day 2 hours' or '-1 month'. Add it to a timestamp or date:
 * `col('ts').plus(interval('10 minutes'))`, `col('d').minus(interval('1 month'))`. Months
 * are added first (the day clamped to the month's end), then days, then the time part.
 */
export function interval(text: string): Column {
  return new Column(intervalExpr(parseInterval(text)));
}
