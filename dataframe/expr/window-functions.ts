import { types } from '../../common/data-type.js';
import { invalidArgument, SluiceError } from '../../common/errors.js';
import type { AnalyzedExpr } from './analyze-expr.js';
import { apiCallName } from './api-call-name.js';
import type { AggCall, AggregateFunctionName, WindowSpecDef } from './expr.js';
import { exprOutputName } from './expr-to-string.js';
import { castTo, unify } from './type-coercion.js';
import { WINDOW_FUNCTION_NAMES, type WindowFunctionName } from './window-function-names.js';

export { WINDOW_FUNCTION_NAMES, WINDOW_FUNCTION_SQL_NAMES, type WindowFunctionName } from './window-function-names.js';

/** Functions that ignore the window frame and need an ordered window (ranking and lag/lead). */
const FRAMELESS: ReadonlySet<string> = new Set(['rowNumber', 'rank', 'denseRank', 'percentRank', 'cumeDist', 'ntile', 'lag', 'lead']);

/** True for a window-only function name. */
export function isWindowFunctionName(fn: AggregateFunctionName): fn is WindowFunctionName {
  return WINDOW_FUNCTION_NAMES.has(fn);
}

/** True when the function ignores the frame (ranking, lag, lead): it needs an ordered window. */
export function isFramelessWindowFunction(fn: string): boolean {
  return FRAMELESS.has(fn);
}

/**
 * The window specification a window function is evaluated under: ranking and lag/lead
 * ignore the frame (Spark fixes theirs), so their spec drops it, which puts them into the
 * window node of the default frame (RANGE UNBOUNDED PRECEDING .. CURRENT ROW, from which
 * partitions and peer groups are read).
 */
export function effectiveWindowSpec(fn: AggCall, spec: WindowSpecDef): WindowSpecDef {
  return isFramelessWindowFunction(fn.fn) && spec.frame !== null ? Object.freeze({ ...spec, frame: null }) : spec;
}

function literalInt(call: AggCall, a: AnalyzedExpr | undefined, what: string, min: number): number {
  const v = a?.expr.kind === 'lit' ? a.expr.value : undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
    throw invalidArgument(`${apiCallName(call)}: ${what} must be a literal integer${min > Number.MIN_SAFE_INTEGER ? ` >= ${min}` : ''}.`);
  return v;
}

const intLit = (v: number): AnalyzedExpr => ({ expr: Object.freeze({ kind: 'lit', value: v, type: types.int32 }), type: types.int32, nullable: false });
const boolLit = (v: boolean): AnalyzedExpr => ({ expr: Object.freeze({ kind: 'lit', value: v, type: types.boolean }), type: types.boolean, nullable: false });

function arity(call: AggCall, args: readonly AnalyzedExpr[], lo: number, hi: number): void {
  if (args.length < lo || args.length > hi)
    throw invalidArgument(`${apiCallName(call)} takes ${lo === hi ? lo : `${lo} to ${hi}`} argument(s), got ${args.length}.`);
}

/**
 * Type rule of a window-only function (Spark's): rowNumber, rank, denseRank, ntile -> int;
 * percentRank, cumeDist -> double (never null); lag/lead(x, offset = 1, default = null) ->
 * the type of x (the default is cast to it); firstValue/lastValue(x, ignoreNulls = false) ->
 * the type of x. Arguments come back normalized (offset, default and ignoreNulls filled in).
 */
export function analyzeWindowFunctionCall(call: AggCall & { fn: WindowFunctionName }, args: readonly AnalyzedExpr[]): AnalyzedExpr {
  let out: readonly AnalyzedExpr[] = args;
  let type = types.int32;
  let nullable = false;
  switch (call.fn) {
    case 'rowNumber':
    case 'rank':
    case 'denseRank':
      arity(call, args, 0, 0);
      break;
    case 'percentRank':
    case 'cumeDist':
      arity(call, args, 0, 0);
      type = types.float64;
      break;
    case 'ntile':
      arity(call, args, 1, 1);
      out = [intLit(literalInt(call, args[0], 'the number of buckets', 1))];
      break;
    case 'lag':
    case 'lead': {
      arity(call, args, 1, 3);
      const x = args[0] as AnalyzedExpr;
      const offset = args[1] === undefined ? 1 : literalInt(call, args[1], 'the offset', Number.MIN_SAFE_INTEGER);
      const d = args[2];
      let value = x;
      let def: AnalyzedExpr = castTo({ expr: Object.freeze({ kind: 'lit', value: null, type: types.null }), type: types.null, nullable: true }, x.type);
      if (d !== undefined) {
        const u = unify([x, d], apiCallName(call));
        value = u.items[0] as AnalyzedExpr;
        def = u.items[1] as AnalyzedExpr;
      }
      out = [value, intLit(offset), def];
      type = value.type;
      nullable = true;
      break;
    }
    case 'firstValue':
    case 'lastValue': {
      arity(call, args, 1, 2);
      const ig = args[1];
      if (ig !== undefined && (ig.expr.kind !== 'lit' || typeof ig.expr.value !== 'boolean'))
        throw invalidArgument(`${apiCallName(call)}: ignoreNulls must be a literal boolean.`);
      const x = args[0] as AnalyzedExpr;
      out = [x, ig ?? boolLit(false)];
      type = x.type;
      nullable = true;
      break;
    }
  }
  return { expr: Object.freeze({ kind: 'agg', fn: call.fn, args: Object.freeze(out.map((a) => a.expr)) }), type, nullable };
}

/** Throws when an aggregation (groupBy().agg(), agg()) uses a window-only function. */
export function rejectWindowOnlyFunctions(calls: readonly AggCall[]): void {
  for (const c of calls)
    if (WINDOW_FUNCTION_NAMES.has(c.fn)) {
      const asAggregate =
        c.fn === 'firstValue' ? ' In an aggregation use first(...) instead.' : c.fn === 'lastValue' ? ' In an aggregation use last(...) instead.' : '';
      throw new SluiceError(
        'INVALID_PLAN',
        `${apiCallName(c)} is a window function: it needs an OVER clause. Use it as ${c.fn}(...).over(Window.partitionBy(...).orderBy(...)) in select() or withColumn().${asAggregate}`,
      );
    }
}

/** Throws when a ranking or lag/lead function runs over a window without orderBy (Spark requires one). */
export function checkWindowFunctionOrder(call: AggCall, ordered: boolean): void {
  if (!ordered && isFramelessWindowFunction(call.fn))
    throw new SluiceError(
      'INVALID_PLAN',
      `Window function ${exprOutputName(call)} requires an ordered window. Add .orderBy(...) to the window specification, e.g. Window.partitionBy('k').orderBy('t').`,
    );
}
