import type { DataType } from '../../common/data-type.js';
import { apiCallName } from './api-call-name.js';
import { isNumeric, parseTypeName, types, typeName, windowStructType } from '../../common/data-type.js';
import { invalidArgument, typeMismatchError } from '../../common/errors.js';
import type { AnalyzedExpr } from './analyze-expr.js';
import { compileDatePattern } from './datetime-pattern.js';
import type { Call, Expr, ScalarFunctionName } from './expr.js';
import { exprOutputName } from './expr-to-string.js';
import { TRUNC_UNITS } from './time-semantics.js';
import { ROW_HASH_SPEC } from './row-hash-spec.js';
import { castTo, unify } from './type-coercion.js';
import { LIBRARY_CATALOG } from './library-catalog.js';
import { COLLECTION_CATALOG } from './catalog-collections.js';

/** A call after type checking: arguments with implicit casts, result type and nullability. */
export interface ResolvedCall {
  readonly args: readonly AnalyzedExpr[];
  readonly type: DataType;
  readonly nullable: boolean;
}

/**
 * A scalar function's signature. `resolve` checks the analyzed arguments, inserts
 * implicit casts and gives the result type; it throws TYPE_MISMATCH or INVALID_ARGUMENT
 * naming the call and the fix.
 */
export interface FunctionSpec {
  /** Spark-compatible description of what the function returns. */
  readonly doc: string;
  /** Least and most number of arguments. */
  readonly arity: readonly [number, number];
  /** Type rule. `call` is the raw call, for messages. */
  resolve(args: readonly AnalyzedExpr[], call: Call): ResolvedCall;
}

function hint(e: Expr, to: string): string {
  return e.kind === 'col' ? `col('${e.name}').cast('${to}')` : `.cast('${to}')`;
}

function need(call: Call, a: AnalyzedExpr, ok: boolean, what: string, castTo: string): void {
  if (!ok)
    throw typeMismatchError(`${apiCallName(call)} needs ${what}, but ${exprOutputName(a.expr)} is ${typeName(a.type)}. Cast it with ${hint(a.expr, castTo)}.`);
}

function literalArg(call: Call, a: AnalyzedExpr | undefined, what: string): string | number | boolean | bigint | null {
  if (a === undefined || a.expr.kind !== 'lit') throw invalidArgument(`${apiCallName(call)} needs ${what} as a literal value, not a column expression.`);
  return a.expr.value;
}

const anyNullable = (args: readonly AnalyzedExpr[]): boolean => args.some((a) => a.nullable);

function str(a: AnalyzedExpr, call: Call): AnalyzedExpr {
  if (a.type.kind === 'null') return castTo(a, types.utf8);
  need(call, a, a.type.kind === 'utf8', 'a string', 'string');
  return a;
}

function int(a: AnalyzedExpr, call: Call): AnalyzedExpr {
  need(call, a, a.type.kind === 'int32' || a.type.kind === 'int64' || a.type.kind === 'null', 'an integer', 'int');
  return castTo(a, types.int32);
}

function num(a: AnalyzedExpr, call: Call): AnalyzedExpr {
  if (a.type.kind === 'null') return castTo(a, types.float64);
  need(call, a, isNumeric(a.type), 'a number', 'double');
  return a;
}

/** Timestamp argument: dates and strings convert to timestamp (microseconds), as Spark's implicit casts do. */
function stamp(a: AnalyzedExpr, call: Call, allowDate: boolean): AnalyzedExpr {
  const k = a.type.kind;
  if (k === 'timestamp' || (allowDate && k === 'date')) return a;
  need(call, a, k === 'date' || k === 'utf8' || k === 'null', 'a timestamp', 'timestamp');
  return castTo(a, types.timestamp('us'));
}

function stringFn(doc: string, out: DataType): FunctionSpec {
  return { doc, arity: [1, 1], resolve: (args, call) => ({ args: [str(args[0] as AnalyzedExpr, call)], type: out, nullable: anyNullable(args) }) };
}

function stringPredicate(doc: string): FunctionSpec {
  return {
    doc,
    arity: [2, 2],
    resolve: (args, call) => ({ args: args.map((a) => str(a, call)), type: types.boolean, nullable: anyNullable(args) }),
  };
}

function datePartFn(doc: string): FunctionSpec {
  return {
    doc,
    arity: [1, 1],
    resolve: (args, call) => ({ args: [stamp(args[0] as AnalyzedExpr, call, true)], type: types.int32, nullable: anyNullable(args) }),
  };
}

function formatArg(call: Call, a: AnalyzedExpr | undefined): AnalyzedExpr[] {
  if (a === undefined) return [];
  const f = literalArg(call, a, 'a datetime pattern string');
  if (typeof f !== 'string') throw invalidArgument(`${apiCallName(call)} needs a datetime pattern string such as 'yyyy-MM-dd HH:mm:ss'.`);
  compileDatePattern(f);
  return [a];
}

/** The scalar functions of Sluice, Spark's semantics; UTC is the session time zone. */
export const FUNCTION_CATALOG: Readonly<Record<ScalarFunctionName, FunctionSpec>> = {
  ...LIBRARY_CATALOG,
  coalesce: {
    doc: 'The first non-null argument; null when all are null. Arguments share one type (numbers widen).',
    arity: [1, Number.POSITIVE_INFINITY],
    resolve: (args, call) => {
      const u = unify(args, apiCallName(call), true);
      return { args: u.items, type: u.type, nullable: args.every((a) => a.nullable) };
    },
  },
  lower: stringFn('The string in lower case.', types.utf8),
  upper: stringFn('The string in upper case.', types.utf8),
  trim: {
    doc: 'trim(str [, chars]): the string without leading and trailing spaces (U+0020), or without leading and trailing characters found in `chars`.',
    arity: [1, 2],
    resolve: (args, call) => ({ args: args.map((a) => str(a, call)), type: types.utf8, nullable: anyNullable(args) }),
  },
  length: stringFn('Number of characters (code points) of the string.', types.int32),
  substring: {
    doc: 'substring(str, pos, len): `len` characters from 1-based `pos`; pos 0 acts as 1, a negative pos counts from the end.',
    arity: [3, 3],
    resolve: (args, call) => ({
      args: [str(args[0] as AnalyzedExpr, call), int(args[1] as AnalyzedExpr, call), int(args[2] as AnalyzedExpr, call)],
      type: types.utf8,
      nullable: anyNullable(args),
    }),
  },
  concat: {
    doc: 'Concatenation of the arguments (non-strings are cast to string); null if any argument is null.',
    arity: [1, Number.POSITIVE_INFINITY],
    resolve: (args, call) => ({
      args: args.map((a) => {
        need(call, a, a.type.kind !== 'list', 'string arguments', 'string');
        return castTo(a, types.utf8);
      }),
      type: types.utf8,
      nullable: anyNullable(args),
    }),
  },
  like: {
    doc: 'SQL LIKE: `%` matches any sequence, `_` one character, backslash escapes; case-sensitive.',
    arity: [2, 2],
    resolve: (args, call) => {
      const p = literalArg(call, args[1], 'the pattern');
      if (p !== null && typeof p !== 'string') throw invalidArgument(`${apiCallName(call)} needs a string pattern.`);
      return { args: [str(args[0] as AnalyzedExpr, call), str(args[1] as AnalyzedExpr, call)], type: types.boolean, nullable: anyNullable(args) };
    },
  },
  startsWith: stringPredicate('True when the first string starts with the second (byte-wise).'),
  endsWith: stringPredicate('True when the first string ends with the second (byte-wise).'),
  contains: stringPredicate('True when the first string contains the second (byte-wise).'),
  year: datePartFn('Year of a timestamp or date (UTC).'),
  month: datePartFn('Month 1-12 of a timestamp or date (UTC).'),
  dayofmonth: datePartFn('Day of month 1-31 of a timestamp or date (UTC).'),
  hour: datePartFn('Hour 0-23 of a timestamp (UTC); 0 for a date.'),
  minute: datePartFn('Minute 0-59 of a timestamp; 0 for a date.'),
  second: datePartFn('Second 0-59 of a timestamp; 0 for a date.'),
  dateTrunc: {
    doc: "date_trunc(unit, ts): the timestamp truncated to 'year', 'quarter', 'month', 'week' (Monday), 'day', 'hour', 'minute' or 'second' (UTC).",
    arity: [2, 2],
    resolve: (args, call) => {
      const u = literalArg(call, args[0], 'the unit');
      if (typeof u !== 'string' || TRUNC_UNITS[u.toLowerCase()] === undefined)
        throw invalidArgument(`${apiCallName(call)}: unknown unit ${String(u)}. Use 'year', 'quarter', 'month', 'week', 'day', 'hour', 'minute' or 'second'.`);
      const ts = stamp(args[1] as AnalyzedExpr, call, false);
      return { args: [args[0] as AnalyzedExpr, ts], type: ts.type, nullable: ts.nullable };
    },
  },
  unixMillis: {
    doc: 'Milliseconds since the epoch of a timestamp (bigint, floor).',
    arity: [1, 1],
    resolve: (args, call) => ({ args: [stamp(args[0] as AnalyzedExpr, call, false)], type: types.int64, nullable: anyNullable(args) }),
  },
  unixSeconds: {
    doc: 'Seconds since the epoch of a timestamp (bigint, floor).',
    arity: [1, 1],
    resolve: (args, call) => ({ args: [stamp(args[0] as AnalyzedExpr, call, false)], type: types.int64, nullable: anyNullable(args) }),
  },
  fromUnixTime: {
    doc: "from_unixtime(seconds [, format]): seconds since the epoch (fraction dropped) formatted in UTC, by default as 'yyyy-MM-dd HH:mm:ss'.",
    arity: [1, 2],
    resolve: (args, call) => ({
      args: [castTo(num(args[0] as AnalyzedExpr, call), types.int64), ...formatArg(call, args[1])],
      type: types.utf8,
      nullable: (args[0] as AnalyzedExpr).nullable,
    }),
  },
  toTimestamp: {
    doc: 'to_timestamp(x [, format]): parses ISO 8601 text (or text in `format`) to a timestamp; numbers are seconds since the epoch; null when it does not parse.',
    arity: [1, 2],
    resolve: (args, call) => {
      const a = args[0] as AnalyzedExpr;
      const fmt = formatArg(call, args[1]);
      if (fmt.length > 0) return { args: [str(a, call), ...fmt], type: types.timestamp('us'), nullable: true };
      const ok = a.type.kind === 'utf8' || a.type.kind === 'date' || a.type.kind === 'timestamp' || a.type.kind === 'null' || isNumeric(a.type);
      need(call, a, ok, 'a string, number or date', 'string');
      const out = castTo(a, types.timestamp('us'));
      return { args: [out], type: out.type, nullable: a.nullable || a.type.kind === 'utf8' || a.type.kind === 'float64' };
    },
  },
  toDate: {
    doc: 'to_date(x): the date of a timestamp (UTC) or of ISO text; null when it does not parse.',
    arity: [1, 1],
    resolve: (args, call) => {
      const a = args[0] as AnalyzedExpr;
      need(
        call,
        a,
        a.type.kind === 'utf8' || a.type.kind === 'date' || a.type.kind === 'timestamp' || a.type.kind === 'null',
        'a string or timestamp',
        'string',
      );
      const out = castTo(a, types.date);
      return { args: [out], type: types.date, nullable: a.nullable || a.type.kind === 'utf8' };
    },
  },
  abs: {
    doc: 'Absolute value, of the argument type (the smallest int/bigint wraps, as in Spark).',
    arity: [1, 1],
    resolve: (args, call) => {
      const a = num(args[0] as AnalyzedExpr, call);
      return { args: [a], type: a.type, nullable: a.nullable };
    },
  },
  round: {
    doc: 'round(x [, scale]): HALF_UP rounding to `scale` decimal places (negative scales round to tens, hundreds...), of the argument type.',
    arity: [1, 2],
    resolve: (args, call) => {
      const a = num(args[0] as AnalyzedExpr, call);
      const s = args[1] === undefined ? 0 : literalArg(call, args[1], 'the scale');
      if (typeof s !== 'number' || !Number.isInteger(s)) throw invalidArgument(`${apiCallName(call)} needs an integer scale.`);
      const scale: AnalyzedExpr = { expr: Object.freeze({ kind: 'lit', value: s, type: types.int32 }), type: types.int32, nullable: false };
      return { args: [a, scale], type: a.type, nullable: a.nullable };
    },
  },
  floor: {
    doc: 'Largest integer not above the value, as bigint; null for NaN, infinities and doubles outside the bigint range.',
    arity: [1, 1],
    resolve: (args, call) => {
      const a = num(args[0] as AnalyzedExpr, call);
      return { args: [a], type: types.int64, nullable: a.nullable || a.type.kind === 'float64' };
    },
  },
  ceil: {
    doc: 'Smallest integer not below the value, as bigint; null for NaN, infinities and doubles outside the bigint range.',
    arity: [1, 1],
    resolve: (args, call) => {
      const a = num(args[0] as AnalyzedExpr, call);
      return { args: [a], type: types.int64, nullable: a.nullable || a.type.kind === 'float64' };
    },
  },
  rowHash: ROW_HASH_SPEC,
  sqrt: {
    doc: 'Square root as double; NaN for negative input (as Spark).',
    arity: [1, 1],
    resolve: (args, call) => ({ args: [castTo(num(args[0] as AnalyzedExpr, call), types.float64)], type: types.float64, nullable: anyNullable(args) }),
  },
  window: {
    doc: 'window(t, duration, slide, start): the struct<start, end> of the half-open window [start, end) holding t (tumbling), or one row per window holding t (sliding); null time gives no window.',
    arity: [4, 5],
    resolve: (args, call) => {
      const t = args[0] as AnalyzedExpr;
      if (t.type.kind !== 'timestamp')
        throw typeMismatchError(
          `window() needs a timestamp time column, but ${exprOutputName(t.expr)} is ${typeName(t.type)}. Convert it first, e.g. toTimestamp(col('${exprOutputName(t.expr)}')) or col('${exprOutputName(t.expr)}').cast('timestamp').`,
        );
      const [d, s, st] = [1, 2, 3].map((k) => literalArg(call, args[k], 'durations') as bigint);
      if (t.type.unit === 'ms' && ((d as bigint) % 1000n !== 0n || (s as bigint) % 1000n !== 0n || (st as bigint) % 1000n !== 0n))
        throw invalidArgument(
          `window() on the millisecond timestamp ${exprOutputName(t.expr)} needs durations in whole milliseconds. Round the durations, or cast the column to timestamp[us].`,
        );
      return { args, type: windowStructType(t.type), nullable: t.nullable || args.length === 5 };
    },
  },
  session_window: {
    doc: 'session_window(t, gapUs): the struct<start, end> of the session holding t: per group key, rows whose times are at most the gap apart share a session, which ends one gap after its last row. Only as a groupBy key.',
    arity: [2, 2],
    resolve: (args) => {
      const t = args[0] as AnalyzedExpr;
      if (t.type.kind !== 'timestamp')
        throw typeMismatchError(
          `sessionWindow() needs a timestamp time column, but ${exprOutputName(t.expr)} is ${typeName(t.type)}. Convert it first, e.g. toTimestamp(col('${exprOutputName(t.expr)}')) or col('${exprOutputName(t.expr)}').cast('timestamp').`,
        );
      const g = args[1] as AnalyzedExpr;
      if (g.type.kind !== 'int64') throw typeMismatchError(`sessionWindow() needs a gap in microseconds (int64), got ${typeName(g.type)}.`);
      return { args, type: windowStructType(t.type), nullable: true };
    },
  },
  windowTime: {
    doc: "window_time(w): the window's end minus one microsecond, as timestamp[us] (the event time of a window's result, for chained windows).",
    arity: [1, 1],
    resolve: (args, call) => {
      const w = args[0] as AnalyzedExpr;
      const end = w.type.kind === 'struct' ? w.type.fields.find((f) => f.name === 'end') : undefined;
      if (end === undefined || end.type.kind !== 'timestamp')
        throw typeMismatchError(
          `${apiCallName(call)} needs a window column (struct<start, end>), but ${exprOutputName(w.expr)} is ${typeName(w.type)}. Pass the column made by window(), e.g. windowTime(col('window')).`,
        );
      return { args, type: types.timestamp('us', end.type.timezone), nullable: w.nullable };
    },
  },
  struct: {
    doc: 'struct(a, b, ...): a struct with one field per argument, named after the argument (its alias or column name).',
    arity: [1, Number.POSITIVE_INFINITY],
    resolve: (args) => {
      const names = new Set<string>();
      const fields = args.map((a) => {
        const name = exprOutputName(a.expr);
        if (names.has(name)) throw invalidArgument(`struct() has two fields named '${name}'. Give one of them another name with .alias('other').`);
        names.add(name);
        return { name, type: a.type, nullable: a.nullable };
      });
      return { args, type: types.struct(fields), nullable: false };
    },
  },
  from_json: {
    doc: 'fromJson(json, schema, {mode}): parses a JSON object (string or UTF-8 binary) into a struct of the schema; malformed input gives null (PERMISSIVE) or fails naming the record (FAILFAST).',
    arity: [3, 3],
    resolve: (args, call) => {
      const j = args[0] as AnalyzedExpr;
      need(call, j, j.type.kind === 'utf8' || j.type.kind === 'binary' || j.type.kind === 'null', 'a string or binary JSON column', 'string');
      const type = parseTypeName(String(literalArg(call, args[1], 'the schema')));
      if (type === undefined || type.kind !== 'struct') throw invalidArgument(`${exprOutputName(call)} needs a struct schema.`);
      const mode = String(literalArg(call, args[2], 'the mode'));
      if (mode !== 'PERMISSIVE' && mode !== 'FAILFAST') throw invalidArgument(`fromJson mode must be PERMISSIVE or FAILFAST, got '${mode}'.`);
      return { args, type, nullable: true };
    },
  },
  getField: {
    doc: 'getField(s, name): field `name` of struct s (null when s is null).',
    arity: [2, 2],
    resolve: (args, call) => {
      const s = args[0] as AnalyzedExpr;
      const name = literalArg(call, args[1], 'the field name');
      if (s.type.kind !== 'struct')
        throw typeMismatchError(`Cannot read field '${String(name)}' of ${exprOutputName(s.expr)}: it is ${typeName(s.type)}, not a struct.`);
      const f = s.type.fields.find((x) => x.name === name);
      if (f === undefined)
        throw invalidArgument(`${exprOutputName(s.expr)} has no field '${String(name)}'. Its fields: ${s.type.fields.map((x) => x.name).join(', ')}.`);
      return { args, type: f.type, nullable: s.nullable || f.nullable };
    },
  },
  ...COLLECTION_CATALOG,
};
