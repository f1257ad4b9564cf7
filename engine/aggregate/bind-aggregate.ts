import type { DataType } from '../../common/data-type.js';
import { decimalAvgType, decimalSumType } from '../../common/decimal-types.js';
import { DecimalAvgAccumulator, DecimalSumAccumulator } from './decimal-aggregates.js';
import { isWindowFunctionName } from '../../dataframe/expr/window-functions.js';
import { valueText } from '../../common/describe-value.js';
import { types, typeName } from '../../common/data-type.js';
import { internalError, invalidArgument, SluiceError } from '../../common/errors.js';
import type { Field, Schema } from '../../common/schema.js';
import { field } from '../../common/schema.js';
import { analyzeExpr } from '../../dataframe/expr/analyze-expr.js';
import type { AggCall, Expr, LiteralValue } from '../../dataframe/expr/expr.js';
import type { Accumulator, StateField } from './accumulator.js';
import { AvgAccumulator } from './avg-accumulator.js';
import { CollectListAccumulator } from './collect-list-accumulator.js';
import { CountAccumulator } from './count-accumulator.js';
import { DistinctValuesAccumulator } from './distinct-values-accumulator.js';
import { FirstLastAccumulator } from './first-last-accumulator.js';
import { HyperLogLogAccumulator } from './hyper-log-log-accumulator.js';
import { MinMaxAccumulator } from './min-max-accumulator.js';
import { DoubleSumAccumulator, IntSumAccumulator } from './sum-accumulator.js';
import { Utf8MinMaxAccumulator } from './utf8-min-max-accumulator.js';
import { VarianceAccumulator } from './variance-accumulator.js';
import { bindPercentile } from './bind-percentile.js';
import { groupingOutsideGroupingSets } from '../../dataframe/expr/grouping-functions.js';

/** An aggregate call resolved against its value type: what to evaluate, what it produces, how to accumulate. */
export interface BoundAggregate {
  readonly call: AggCall;
  /** The leading arguments evaluated per batch; later ones are literal options. */
  readonly valueArgs: readonly Expr[];
  readonly resultType: DataType;
  readonly stateFields: readonly StateField[];
  /** A fresh accumulator. */
  create(): Accumulator;
}

function literalOption(e: Expr | undefined): LiteralValue | undefined {
  if (e === undefined) return undefined;
  if (e.kind === 'lit') return e.value;
  if (e.kind === 'alias' || e.kind === 'cast') return literalOption(e.child);
  throw invalidArgument('The option argument of an aggregate (ignoreNulls, rsd) must be a literal.');
}

function requireOrdered(call: AggCall, t: DataType): void {
  if (t.kind === 'list') throw new SluiceError('UNSUPPORTED', `${call.fn}() over ${typeName(t)} is not supported. Aggregate the elements instead.`);
}

/**
 * Binds an aggregate call to the type of its first argument (`valueType`; the null type
 * for count(*)). Result types follow the analyzer: counts bigint; sum bigint over integers
 * and double over doubles; avg and the variance family double; min/max/first/last the
 * input type; collectList/collectSet an array of it.
 */
export function bindAggregate(call: AggCall, valueType: DataType): BoundAggregate {
  if (isWindowFunctionName(call.fn)) throw internalError(`bindAggregate: window function ${call.fn} outside a window node.`);
  const v = valueType;
  const arg0 = call.args.slice(0, 1);
  const integral = v.kind === 'int32' || v.kind === 'int64' || v.kind === 'null';
  const sumType = integral ? types.int64 : types.float64;
  switch (call.fn) {
    case 'count':
      return { call, valueArgs: call.args, resultType: types.int64, stateFields: [{ name: 'count', type: types.int64 }], create: () => new CountAccumulator() };
    case 'sum':
      if (v.kind === 'decimal') {
        const rt = decimalSumType(v);
        return {
          call,
          valueArgs: arg0,
          resultType: rt,
          stateFields: [
            { name: 'sum', type: rt },
            { name: 'isEmpty', type: types.boolean },
          ],
          create: () => new DecimalSumAccumulator(rt),
        };
      }
      return {
        call,
        valueArgs: arg0,
        resultType: sumType,
        stateFields: [{ name: 'sum', type: sumType }],
        create: () => (integral ? new IntSumAccumulator() : new DoubleSumAccumulator()),
      };
    case 'avg':
      if (v.kind === 'decimal') {
        const rt = decimalAvgType(v);
        // The state sum is labelled with the input type so the final phase can rebind from it
        // (valueTypeFromState); its values may hold up to 18 digits whatever the label says.
        const st = v;
        return {
          call,
          valueArgs: arg0,
          resultType: rt,
          stateFields: [
            { name: 'sum', type: st },
            { name: 'count', type: types.int64 },
          ],
          create: () => new DecimalAvgAccumulator(v, st, rt),
        };
      }
      return {
        call,
        valueArgs: arg0,
        resultType: types.float64,
        stateFields: [
          { name: 'sum', type: sumType },
          { name: 'count', type: types.int64 },
        ],
        create: () => new AvgAccumulator(integral),
      };
    case 'stddev':
    case 'stddevPop':
    case 'variance':
    case 'varPop': {
      const kind = call.fn;
      return {
        call,
        valueArgs: arg0,
        resultType: types.float64,
        stateFields: [
          { name: 'count', type: types.int64 },
          { name: 'mean', type: types.float64 },
          { name: 'm2', type: types.float64 },
        ],
        create: () => new VarianceAccumulator(kind),
      };
    }
    case 'min':
    case 'max': {
      requireOrdered(call, v);
      const isMax = call.fn === 'max';
      return {
        call,
        valueArgs: arg0,
        resultType: v,
        stateFields: [{ name: call.fn, type: v }],
        create: () => (v.kind === 'utf8' ? new Utf8MinMaxAccumulator(isMax) : new MinMaxAccumulator(v, isMax)),
      };
    }
    case 'first':
    case 'last': {
      const ignoreNulls = literalOption(call.args[1]) === true;
      const isLast = call.fn === 'last';
      return {
        call,
        valueArgs: arg0,
        resultType: v,
        stateFields: [
          { name: 'value', type: v },
          { name: 'valueSet', type: types.boolean },
        ],
        create: () => new FirstLastAccumulator(v, isLast, ignoreNulls),
      };
    }
    case 'collectList':
      return {
        call,
        valueArgs: arg0,
        resultType: types.list(v),
        stateFields: [{ name: 'list', type: types.list(v) }],
        create: () => new CollectListAccumulator(v),
      };
    case 'collectSet':
    case 'countDistinct': {
      requireOrdered(call, v);
      const countOnly = call.fn === 'countDistinct';
      return {
        call,
        valueArgs: arg0,
        resultType: countOnly ? types.int64 : types.list(v),
        stateFields: [{ name: 'set', type: types.list(v) }],
        create: () => new DistinctValuesAccumulator(v, countOnly),
      };
    }
    case 'percentileApprox':
    case 'percentile':
    case 'median':
      return bindPercentile(call, v);
    case 'grouping':
    case 'groupingId':
      throw groupingOutsideGroupingSets(call);
    case 'approxCountDistinct': {
      const rsd = literalOption(call.args[1]) ?? 0.05;
      if (typeof rsd !== 'number') throw invalidArgument(`approxCountDistinct rsd must be a number, got ${valueText(rsd)}.`);
      new HyperLogLogAccumulator(rsd);
      return {
        call,
        valueArgs: arg0,
        resultType: types.int64,
        stateFields: [{ name: 'registers', type: types.list(types.int32) }],
        create: () => new HyperLogLogAccumulator(rsd),
      };
    }
  }
}

/** The value type of an aggregate call over `inputSchema`: its first argument's type (null type for count(*)). */
export function aggregateValueType(call: AggCall, inputSchema: Schema): DataType {
  const a = call.args[0];
  return a === undefined ? types.null : analyzeExpr(a, inputSchema).type;
}

/**
 * The value type recovered from an aggregate's first partial-state column type, for final
 * aggregation where the original input is gone (only the state columns arrive).
 */
export function valueTypeFromState(call: AggCall, firstStateType: DataType): DataType {
  switch (call.fn) {
    case 'count':
    case 'stddev':
    case 'stddevPop':
    case 'variance':
    case 'varPop':
    case 'approxCountDistinct':
      return types.float64;
    case 'collectList':
    case 'collectSet':
    case 'countDistinct':
    case 'percentileApprox':
    case 'percentile':
    case 'median':
      return firstStateType.kind === 'list' ? firstStateType.element : firstStateType;
    case 'sum':
      if (firstStateType.kind === 'decimal') {
        // The state is decimal(min(18, p+10), s): any input precision mapping back to it will do.
        const { precision: p, scale: s } = firstStateType;
        return types.decimal(Math.max(p - 10, s, 1), s);
      }
      return firstStateType;
    default:
      return firstStateType;
  }
}

/**
 * The partial-state columns of `aggCalls` over `inputSchema`, all calls' states in call
 * order, each named by its state name (e.g. avg -> `sum`, `count`). HashAggregateExec
 * prefixes them with the aggregate's output name (`${aggName}#${stateName}`).
 */
export function partialStateFields(aggCalls: readonly AggCall[], inputSchema: Schema): Field[] {
  return aggCalls.flatMap((c) => bindAggregate(c, aggregateValueType(c, inputSchema)).stateFields.map((s) => field(s.name, s.type, true)));
}
