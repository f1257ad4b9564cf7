import type { ColumnVector } from '../../../../common/column-vector.js';
import type { DataType } from '../../../../common/data-type.js';
import { valueAt } from '../../../../common/vector-value-at.js';
import type { JsValue } from '../../../../common/vector-from-values.js';
import { vectorFromValues } from '../../../../common/vector-from-values.js';
import type { AggCall, AggregateFunctionName, Expr, LiteralValue } from '../../../../dataframe/expr/expr.js';
import type { BoundAggregate } from '../../../../engine/aggregate/bind-aggregate.js';
import { bindAggregate } from '../../../../engine/aggregate/bind-aggregate.js';

/** An aggregate call over column `x` with optional literal options. */
export function call(fn: AggregateFunctionName, ...options: LiteralValue[]): AggCall {
  const args: Expr[] = [{ kind: 'col', name: 'x', qualifier: null }];
  for (const o of options) args.push({ kind: 'lit', value: o, type: typeof o === 'boolean' ? { kind: 'boolean' } : { kind: 'float64' } });
  return { kind: 'agg', fn, args };
}

/** The values of a vector as JS values. */
export function valuesOf(v: ColumnVector): JsValue[] {
  return Array.from({ length: v.length }, (_, i) => valueAt(v, i));
}

/** Aggregates `values` (grouped by `groups`, one group when omitted) in one accumulator. */
export function aggregate(c: AggCall, type: DataType, values: readonly JsValue[], groups?: readonly number[]): JsValue[] {
  const bound = bindAggregate(c, type);
  const ids = Int32Array.from(groups ?? values.map(() => 0));
  const numGroups = groups === undefined ? 1 : Math.max(0, ...groups) + 1;
  const acc = bound.create();
  acc.resize(numGroups);
  acc.update(ids, bound.valueArgs.length === 0 ? [] : [vectorFromValues(type, values)], values.length);
  return valuesOf(acc.finish(numGroups));
}

/** Aggregates in `parts` partial accumulators over consecutive slices, then merges the states in order. */
export function aggregateSplit(c: AggCall, type: DataType, values: readonly JsValue[], groups: readonly number[], parts: number): JsValue[] {
  const bound: BoundAggregate = bindAggregate(c, type);
  const numGroups = Math.max(0, ...groups) + 1;
  const final = bound.create();
  final.resize(numGroups);
  const step = Math.ceil(values.length / parts);
  for (let s = 0; s < values.length; s += step) {
    const part = values.slice(s, s + step);
    const gs = groups.slice(s, s + step);
    // Each partial numbers its groups locally, like a real partial aggregate.
    const local = [...new Set(gs)];
    const acc = bound.create();
    acc.resize(local.length);
    acc.update(
      Int32Array.from(gs, (g) => local.indexOf(g)),
      bound.valueArgs.length === 0 ? [] : [vectorFromValues(type, part)],
      part.length,
    );
    const states = acc.stateVectors(local.length);
    final.merge(Int32Array.from(local), states, local.length);
  }
  return valuesOf(final.finish(numGroups));
}
