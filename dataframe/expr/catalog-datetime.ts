import type { DataType } from '../../common/data-type.js';
import { types } from '../../common/data-type.js';
import { invalidArgument, typeMismatchError } from '../../common/errors.js';
import type { AnalyzedExpr } from './analyze-expr.js';
import { apiCallName } from './api-call-name.js';
import { dateArg, intArg, literalArgValue, literalString, needArg, resolved, stringArg, timestampArg } from './catalog-args.js';
import type { LibraryValueFn } from './catalog-strings.js';
import {
  addIntervalTo,
  addMonthsDays,
  DATE_TRUNC_FORMATS,
  dayOfWeek,
  dayOfYear,
  lastDayOf,
  monthsBetween,
  nextDayOf,
  quarterOf,
  truncDate,
  weekdayOfName,
  weekOfYear,
} from './date-library-semantics.js';
import { compileDatePattern } from './datetime-pattern.js';
import type { LiteralValue } from './expr.js';
import { exprOutputName } from './expr-to-string.js';
import type { FunctionSpec } from './function-catalog.js';
import { castTo } from './type-coercion.js';

/** The date/time functions of the library (Spark's names in camelCase), plus `addInterval`, the kernel of timestamp +/- interval. */
export type DateTimeLibraryName =
  | 'dateAdd'
  | 'dateSub'
  | 'datediff'
  | 'monthsBetween'
  | 'addMonths'
  | 'dateFormat'
  | 'dayofweek'
  | 'dayofyear'
  | 'weekofyear'
  | 'quarter'
  | 'lastDay'
  | 'nextDay'
  | 'trunc'
  | 'addInterval';

function datePart(doc: string): FunctionSpec {
  return { doc, arity: [1, 1], resolve: (args, call) => resolved([dateArg(args[0] as AnalyzedExpr, call)], types.int32) };
}

function shiftDays(doc: string): FunctionSpec {
  return {
    doc,
    arity: [2, 2],
    resolve: (args, call) => resolved([dateArg(args[0] as AnalyzedExpr, call), intArg(args[1] as AnalyzedExpr, call)], types.date),
  };
}

/** Catalog entries of the date/time library. Dates are day counts, timestamps UTC instants. */
export const DATETIME_CATALOG: Readonly<Record<DateTimeLibraryName, FunctionSpec>> = {
  dateAdd: shiftDays('date_add(start, days): the date `days` after `start` (timestamps and ISO strings are cast to date).'),
  dateSub: shiftDays('date_sub(start, days): the date `days` before `start`.'),
  datediff: {
    doc: 'datediff(end, start): days from `start` to `end` (negative when end is earlier).',
    arity: [2, 2],
    resolve: (args, call) => resolved([dateArg(args[0] as AnalyzedExpr, call), dateArg(args[1] as AnalyzedExpr, call)], types.int32),
  },
  monthsBetween: {
    doc: 'months_between(t1, t2 [, roundOff]): months from t2 to t1 as a double; whole when both are the same day of month or both month ends, else the remainder counts 31-day months; rounded to 8 places unless roundOff is false.',
    arity: [2, 3],
    resolve: (args, call) => {
      const r = args[2] === undefined ? true : literalArgValue(call, args[2], 'roundOff');
      if (typeof r !== 'boolean') throw invalidArgument(`${apiCallName(call)} needs roundOff as true or false.`);
      const a = [timestampArg(args[0] as AnalyzedExpr, call), timestampArg(args[1] as AnalyzedExpr, call)].map((x) =>
        castTo(x, types.timestamp('us', x.type.kind === 'timestamp' ? x.type.timezone : null)),
      );
      return resolved([...a, { expr: Object.freeze({ kind: 'lit', value: r, type: types.boolean }), type: types.boolean, nullable: false }], types.float64);
    },
  },
  addMonths: {
    doc: 'add_months(start, n): the date n months after `start`, the day clamped to the end of a shorter month.',
    arity: [2, 2],
    resolve: (args, call) => resolved([dateArg(args[0] as AnalyzedExpr, call), intArg(args[1] as AnalyzedExpr, call)], types.date),
  },
  dateFormat: {
    doc: "date_format(ts, fmt): the timestamp (or date) as text in Spark's datetime pattern `fmt`, UTC.",
    arity: [2, 2],
    resolve: (args, call) => {
      const fmt = literalString(call, args[1], 'a datetime pattern such as yyyy-MM-dd');
      if (fmt !== null) compileDatePattern(fmt);
      return resolved([timestampArg(args[0] as AnalyzedExpr, call), stringArg(args[1] as AnalyzedExpr, call)], types.utf8);
    },
  },
  dayofweek: datePart('dayofweek(d): day of the week, 1 = Sunday ... 7 = Saturday.'),
  dayofyear: datePart('dayofyear(d): day of the year, 1-366.'),
  weekofyear: datePart('weekofyear(d): ISO 8601 week of the year (weeks start on Monday; week 1 holds the first Thursday).'),
  quarter: datePart('quarter(d): quarter of the year, 1-4.'),
  lastDay: {
    doc: 'last_day(d): the last day of the month of `d`.',
    arity: [1, 1],
    resolve: (args, call) => resolved([dateArg(args[0] as AnalyzedExpr, call)], types.date),
  },
  nextDay: {
    doc: "next_day(d, dayOfWeek): the first date after `d` on that weekday ('Mon', 'MO', 'Monday'...); null for an unknown name.",
    arity: [2, 2],
    resolve: (args, call) => {
      const name = args[1] as AnalyzedExpr;
      if (name.expr.kind === 'lit' && typeof name.expr.value === 'string' && weekdayOfName(name.expr.value) < 0)
        throw invalidArgument(
          `${apiCallName(call)}: unknown day of week '${name.expr.value}'. Use 'Mon', 'Tue', ... 'Sun' (or two letters, or the full name).`,
        );
      return { args: [dateArg(args[0] as AnalyzedExpr, call), stringArg(name, call)], type: types.date, nullable: true };
    },
  },
  trunc: {
    doc: "trunc(d, fmt): the date truncated to 'year' ('yyyy', 'yy'), 'quarter', 'month' ('mon', 'mm') or 'week' (Monday).",
    arity: [2, 2],
    resolve: (args, call) => {
      const fmt = literalString(call, args[1], 'the unit');
      if (fmt !== null && DATE_TRUNC_FORMATS[fmt.toUpperCase()] === undefined)
        throw invalidArgument(
          `${apiCallName(call)}: unknown unit '${fmt}'. Use 'year', 'quarter', 'month' or 'week' (dateTrunc truncates timestamps to smaller units).`,
        );
      return resolved([dateArg(args[0] as AnalyzedExpr, call), args[1] as AnalyzedExpr], types.date);
    },
  },
  addInterval: {
    doc: 'addInterval(t, months, days, microseconds): timestamp or date `t` plus a calendar interval (months first, day clamped; then days; then microseconds), what `t + interval(...)` becomes.',
    arity: [4, 4],
    resolve: (args, call) => {
      const t = args[0] as AnalyzedExpr;
      if (t.type.kind !== 'timestamp' && t.type.kind !== 'date')
        throw typeMismatchError(`${apiCallName(call)} needs a timestamp or date, but ${exprOutputName(t.expr)} is ${t.type.kind}.`);
      const micros = args[3] as AnalyzedExpr;
      needArg(call, micros, micros.type.kind === 'int64' || micros.type.kind === 'int32' || micros.type.kind === 'null', 'microseconds as bigint', 'bigint');
      const a = [t, intArg(args[1] as AnalyzedExpr, call), intArg(args[2] as AnalyzedExpr, call), castTo(micros, types.int64)];
      return resolved(a, t.type);
    },
  },
};

const d = (v: LiteralValue | undefined): number => v as number;

/** Units per second of a timestamp type. */
const upsOf = (t: DataType): number => (t.kind === 'timestamp' && t.unit === 'ms' ? 1000 : 1e6);

function micros(v: LiteralValue, t: DataType): number {
  return t.kind === 'date' ? (v as number) * 86_400_000_000 : Number(v) * (1e6 / upsOf(t));
}

function microsBig(v: LiteralValue, t: DataType): bigint {
  if (t.kind === 'date') return BigInt(v as number) * 86_400_000_000n;
  return t.kind === 'timestamp' && t.unit === 'ms' ? (v as bigint) * 1000n : (v as bigint);
}

/** Per-value implementations on non-null arguments (dates as day numbers, timestamps as bigint). */
export const DATETIME_VALUES: Readonly<Record<DateTimeLibraryName, LibraryValueFn>> = {
  dateAdd: (a) => d(a[0]) + d(a[1]),
  dateSub: (a) => d(a[0]) - d(a[1]),
  datediff: (a) => d(a[0]) - d(a[1]),
  monthsBetween: (a, t) => monthsBetween(micros(a[0] ?? null, t[0] as DataType), micros(a[1] ?? null, t[1] as DataType), a[2] as boolean),
  addMonths: (a) => addMonthsDays(d(a[0]), d(a[1])),
  dateFormat: (a, t) => compileDatePattern(a[1] as string).format(microsBig(a[0] ?? null, t[0] as DataType)),
  dayofweek: (a) => dayOfWeek(d(a[0])),
  dayofyear: (a) => dayOfYear(d(a[0])),
  weekofyear: (a) => weekOfYear(d(a[0])),
  quarter: (a) => quarterOf(d(a[0])),
  lastDay: (a) => lastDayOf(d(a[0])),
  nextDay: (a) => {
    const w = weekdayOfName(a[1] as string);
    return w < 0 ? null : nextDayOf(d(a[0]), w);
  },
  trunc: (a) => {
    const u = DATE_TRUNC_FORMATS[(a[1] as string).toUpperCase()];
    return u === undefined ? null : truncDate(d(a[0]), u);
  },
  addInterval: (a, t) => {
    const tt = t[0] as DataType;
    if (tt.kind === 'date') {
      const us = Number(a[3]);
      const days = addMonthsDays(d(a[0]), d(a[1])) + d(a[2]) + Math.floor(us / 86_400_000_000);
      return days;
    }
    return BigInt(addIntervalTo(Number(a[0]), upsOf(tt), d(a[1]), d(a[2]), Number(a[3])));
  },
};
