import { isNumeric, types, typeName } from '../../common/data-type.js';
import { invalidArgument, typeMismatchError } from '../../common/errors.js';
import type { AnalyzedExpr } from './analyze-expr.js';
import { apiCallName } from './api-call-name.js';
import type { AggCall, Expr } from './expr.js';
import { exprOutputName } from './expr-to-string.js';
import type { PercentileFunctionName, PercentileOptions } from './percentile-options.js';
import { DEFAULT_PERCENTILE_ACCURACY, literalNumber, percentileArgs, percentileOptions } from './percentile-options.js';
import { castTo } from './type-coercion.js';

/** Percentages of a SQL-style argument: a number literal, or array(...) of them. */
function percentagesOf(call: AggCall, e: Expr): { ps: number[]; asArray: boolean } {
  const single = literalNumber(e);
  if (single !== null) return { ps: [single], asArray: false };
  if (e.kind === 'call' && (e.fn as string) === 'array') {
    const ps = e.args.map(literalNumber);
    if (ps.length > 0 && ps.every((p) => p !== null)) return { ps: ps as number[], asArray: true };
  }
  throw invalidArgument(`${apiCallName(call)}: the percentage must be a literal number in [0, 1] or an array of them, got ${exprOutputName(e)}.`);
}

function isCanonical(call: AggCall): boolean {
  const flagAt = call.fn === 'percentileApprox' ? 2 : 1;
  const f = call.args[flagAt];
  return call.fn === 'median' || (f !== undefined && f.kind === 'lit' && typeof f.value === 'boolean');
}

function canonicalize(call: AggCall, args: readonly AnalyzedExpr[]): { value: AnalyzedExpr; options: PercentileOptions } {
  const value = args[0] as AnalyzedExpr;
  const raw = args.map((a) => a.expr);
  const c: AggCall = { kind: 'agg', fn: call.fn, args: raw };
  if (isCanonical(c)) return { value, options: percentileOptions(c) };
  const max = call.fn === 'percentileApprox' ? 3 : 2;
  if (args.length < 2 || args.length > max)
    throw invalidArgument(`${apiCallName(call)} takes 2 to ${max} arguments: the column, the percentage(s)${max === 3 ? ' and the accuracy' : ''}.`);
  const { ps, asArray } = percentagesOf(call, raw[1] as Expr);
  let accuracy: number | null = null;
  if (call.fn === 'percentileApprox') {
    accuracy = raw[2] === undefined ? DEFAULT_PERCENTILE_ACCURACY : literalNumber(raw[2]);
    if (accuracy === null) throw invalidArgument(`${apiCallName(call)}: the accuracy must be a literal positive integer.`);
  }
  return { value, options: { percentages: ps, asArray, accuracy } };
}

function validate(call: AggCall, o: PercentileOptions): void {
  for (const p of o.percentages) {
    if (!(p >= 0 && p <= 1)) throw invalidArgument(`${apiCallName(call)}: every percentage must be between 0.0 and 1.0, got ${p}.`);
  }
  if (o.accuracy !== null && !(Number.isInteger(o.accuracy) && o.accuracy > 0 && o.accuracy <= 2147483647))
    throw invalidArgument(
      `${apiCallName(call)}: the accuracy must be a positive integer (Spark's default is ${DEFAULT_PERCENTILE_ACCURACY}), got ${o.accuracy}.`,
    );
}

/**
 * Type rule of the percentile aggregates: percentileApprox over a numeric, date or
 * timestamp column returns the column's type (an array of it for several percentages);
 * percentile and median over a numeric column return double (an array of double). Null
 * for a group without non-null values.
 */
export function analyzePercentileCall(call: AggCall, args: readonly AnalyzedExpr[]): AnalyzedExpr {
  if (args.length === 0) throw invalidArgument(`${apiCallName(call)} needs a column.`);
  const { value, options } = canonicalize(call, args);
  validate(call, options);
  let v = value;
  if (v.type.kind === 'null') v = castTo(v, types.float64);
  const t = v.type;
  const approxOk = t.kind === 'date' || t.kind === 'timestamp';
  if (!isNumeric(t) && !(call.fn === 'percentileApprox' && approxOk))
    throw typeMismatchError(
      `${apiCallName(call)} needs a numeric${call.fn === 'percentileApprox' ? ', date or timestamp' : ''} column, but ${exprOutputName(v.expr)} is ${typeName(t)}. Cast it with .cast('double').`,
    );
  const elem = call.fn === 'percentileApprox' ? t : types.float64;
  const fn = call.fn as PercentileFunctionName;
  const outArgs = percentileArgs(fn, v.expr, options.percentages, options.asArray, options.accuracy ?? DEFAULT_PERCENTILE_ACCURACY);
  return {
    expr: Object.freeze({ kind: 'agg', fn: call.fn, args: Object.freeze(outArgs) }),
    type: options.asArray ? types.list(elem) : elem,
    nullable: true,
  };
}
