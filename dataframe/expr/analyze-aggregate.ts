import type { DataType } from '../../common/data-type.js';
import { apiCallName } from './api-call-name.js';
import { isNumeric, types, typeName } from '../../common/data-type.js';
import { invalidArgument, typeMismatchError } from '../../common/errors.js';
import type { AnalyzedExpr } from './analyze-expr.js';
import type { AggCall } from './expr.js';
import { exprOutputName } from './expr-to-string.js';
import { castTo } from './type-coercion.js';
import { decimalAvgType, decimalSumType } from '../../common/decimal-types.js';
import { analyzePercentileCall } from './analyze-percentile.js';
import { isPercentileCall } from './percentile-options.js';
import { groupingOutsideGroupingSets } from './grouping-functions.js';
import type { WindowFunctionName } from './window-functions.js';
import { analyzeWindowFunctionCall, isWindowFunctionName } from './window-functions.js';

function hint(a: AnalyzedExpr): string {
  return a.expr.kind === 'col' ? `col('${a.expr.name}').cast('double')` : ".cast('double')";
}

function numericArg(call: AggCall, a: AnalyzedExpr): AnalyzedExpr {
  if (a.type.kind === 'null') return castTo(a, types.float64);
  if (!isNumeric(a.type) && a.type.kind !== 'decimal')
    throw typeMismatchError(
      `${apiCallName(call)} needs a numeric column, but ${exprOutputName(a.expr)} is ${typeName(a.type)}. Cast it with ${hint(a)} or use count().`,
    );
  return a;
}

function literalArg(call: AggCall, a: AnalyzedExpr | undefined, kind: 'boolean' | 'number'): void {
  if (a === undefined) return;
  if (a.expr.kind !== 'lit' || typeof a.expr.value !== kind) throw invalidArgument(`${apiCallName(call)}: the second argument must be a literal ${kind}.`);
}

/**
 * Type rule of an aggregate call over analyzed arguments: count/countDistinct/
 * approxCountDistinct -> bigint (never null); sum over int/bigint -> bigint, over double
 * -> double, over decimal(p,s) -> decimal(min(18,p+10), s); avg over decimal(p,s) ->
 * decimal(min(18,p+4), min(18,s+4)), otherwise double; stddev, stddevPop, variance, varPop -> double; min/max/first/last -> input
 * type; collectList/collectSet -> array of the input type (empty, not null, for no rows).
 */
export function analyzeAggCall(call: AggCall, args: readonly AnalyzedExpr[]): AnalyzedExpr {
  if (isPercentileCall(call)) return analyzePercentileCall(call, args);
  if (call.fn === 'grouping' || call.fn === 'groupingId') throw groupingOutsideGroupingSets(call);
  if (isWindowFunctionName(call.fn)) return analyzeWindowFunctionCall(call as AggCall & { fn: WindowFunctionName }, args);
  const n = call.fn === 'count' ? [0, 1] : call.fn === 'first' || call.fn === 'last' || call.fn === 'approxCountDistinct' ? [1, 2] : [1, 1];
  if (args.length < (n[0] as number) || args.length > (n[1] as number))
    throw invalidArgument(`${apiCallName(call)} takes ${n[0] === n[1] ? n[0] : `${n[0]} to ${n[1]}`} argument(s), got ${args.length}.`);
  const a = args[0] as AnalyzedExpr;
  let outArgs: readonly AnalyzedExpr[] = args;
  let type: DataType;
  let nullable = true;
  switch (call.fn) {
    case 'count':
    case 'countDistinct':
    case 'approxCountDistinct':
      if (call.fn === 'approxCountDistinct') literalArg(call, args[1], 'number');
      type = types.int64;
      nullable = false;
      break;
    case 'sum': {
      const x = numericArg(call, a);
      outArgs = [x];
      type = x.type.kind === 'decimal' ? decimalSumType(x.type) : x.type.kind === 'float64' ? types.float64 : types.int64;
      break;
    }
    case 'avg': {
      const x = numericArg(call, a);
      outArgs = [x];
      type = x.type.kind === 'decimal' ? decimalAvgType(x.type) : types.float64;
      break;
    }
    case 'stddev':
    case 'stddevPop':
    case 'variance':
    case 'varPop': {
      const x = numericArg(call, a);
      outArgs = [x.type.kind === 'decimal' ? castTo(x, types.float64) : x];
      type = types.float64;
      break;
    }
    case 'min':
    case 'max':
      if (a.type.kind === 'list') throw typeMismatchError(`${apiCallName(call)} cannot order array column ${exprOutputName(a.expr)}.`);
      type = a.type;
      break;
    case 'first':
    case 'last':
      literalArg(call, args[1], 'boolean');
      type = a.type;
      break;
    case 'collectList':
    case 'collectSet':
      type = types.list(a.type);
      nullable = false;
      break;
    case 'percentileApprox':
    case 'percentile':
    case 'median':
      return analyzePercentileCall(call, args);
  }
  return { expr: Object.freeze({ kind: 'agg', fn: call.fn, args: Object.freeze(outArgs.map((x) => x.expr)) }), type, nullable };
}
