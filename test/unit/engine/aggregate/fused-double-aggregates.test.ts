import { describe, expect, it } from 'vitest';
import type { ColumnVector } from '../../../../common/column-vector.js';
import type { DataType } from '../../../../common/data-type.js';
import { types } from '../../../../common/data-type.js';
import type { JsValue } from '../../../../common/vector-from-values.js';
import { vectorFromValues } from '../../../../common/vector-from-values.js';
import type { AggCall, AggregateFunctionName, Expr } from '../../../../dataframe/expr/expr.js';
import { bindAggregate } from '../../../../engine/aggregate/bind-aggregate.js';
import type { FusedSpec } from '../../../../engine/aggregate/fused-double-aggregates.js';
import { FusedDoubleAggregates } from '../../../../engine/aggregate/fused-double-aggregates.js';
import { planFusedAggregates } from '../../../../engine/aggregate/plan-fused-aggregates.js';
import { valuesOf } from './agg-test-kit.js';

const col = (name: string): Expr => ({ kind: 'col', name, qualifier: null });
const agg = (fn: AggregateFunctionName, ...args: Expr[]): AggCall => ({ kind: 'agg', fn, args });

/** Runs `specs` both fused and through the per-aggregate accumulators over the same batches; returns [fused, separate] finish and state values. */
function both(specs: readonly FusedSpec[], inputs: readonly JsValue[][], ids: readonly number[], batchRows: number) {
  const numGroups = Math.max(0, ...ids) + 1;
  const fused = new FusedDoubleAggregates(specs, inputs.length);
  const accs = specs.map((s) => {
    const c = s.input < 0 ? agg(s.fn) : agg(s.fn, col(`x${s.input}`));
    return bindAggregate(c, s.input < 0 ? types.null : types.float64).create();
  });
  for (let start = 0, seen = 0; start < ids.length; start += batchRows) {
    const end = Math.min(ids.length, start + batchRows);
    const gids = Int32Array.from(ids.slice(start, end));
    seen = Math.max(seen, ...gids) + 1;
    const vecs = inputs.map((vals) => vectorFromValues(types.float64, vals.slice(start, end)));
    fused.resize(seen);
    fused.update(gids, vecs, end - start);
    specs.forEach((s, k) => {
      const a = accs[k];
      a?.resize(seen);
      a?.update(gids, s.input < 0 ? [] : [vecs[s.input] as ColumnVector], end - start);
    });
  }
  fused.resize(numGroups);
  for (const a of accs) a.resize(numGroups);
  const view = (vs: ColumnVector[]) => vs.map((v) => ({ type: v.type, values: valuesOf(v) }));
  return {
    fused: specs.map((_s, k) => ({ finish: view([fused.finish(k, numGroups)]), states: view(fused.stateVectors(k, numGroups)) })),
    separate: accs.map((a) => ({ finish: view([a.finish(numGroups)]), states: view(a.stateVectors(numGroups)) })),
    finishes: specs.map((_s, k) => valuesOf(fused.finish(k, numGroups))),
  };
}

const W2: FusedSpec[] = [
  { fn: 'count', input: -1 },
  { fn: 'sum', input: 0 },
  { fn: 'avg', input: 0 },
  { fn: 'max', input: 0 },
];

describe('FusedDoubleAggregates', () => {
  it('computes count(*), sum, avg, max without nulls (the fast layout) like the accumulators', () => {
    const x = [1.5, 2, -3, 4, 0.25, 10];
    const ids = [0, 1, 0, 2, 1, 0];
    const r = both(W2, [x], ids, 4);
    expect(r.fused).toEqual(r.separate);
    expect(r.finishes).toEqual([
      [3n, 2n, 1n],
      [8.5, 2.25, 4],
      [8.5 / 3, 1.125, 4],
      [10, 2, 4],
    ]);
  });

  it('skips nulls, makes empty groups null and keeps NaN/-Infinity/-0 semantics', () => {
    const x: JsValue[] = [null, Number.NaN, 3, Number.NEGATIVE_INFINITY, -0, 0, null, 5, Number.NaN, 2];
    const ids = [0, 1, 1, 2, 3, 3, 4, 5, 5, 0];
    const specs: FusedSpec[] = [...W2, { fn: 'min', input: 0 }, { fn: 'count', input: 0 }];
    const r = both(specs, [x], ids, 3);
    expect(r.fused).toEqual(r.separate);
    expect(r.finishes).toEqual([
      [2n, 2n, 1n, 2n, 1n, 2n],
      [2, Number.NaN, Number.NEGATIVE_INFINITY, 0, null, Number.NaN],
      [2, Number.NaN, Number.NEGATIVE_INFINITY, 0, null, Number.NaN],
      [2, Number.NaN, Number.NEGATIVE_INFINITY, -0, null, Number.NaN],
      [2, 3, Number.NEGATIVE_INFINITY, -0, null, 5],
      [1n, 2n, 1n, 2n, 0n, 2n],
    ]);
  });

  it('handles min/max alone, several inputs and all-NaN groups', () => {
    const x: JsValue[] = [Number.NaN, Number.NaN, 1, null];
    const y: JsValue[] = [null, 4, -2, 7];
    const specs: FusedSpec[] = [
      { fn: 'min', input: 0 },
      { fn: 'max', input: 1 },
      { fn: 'sum', input: 1 },
      { fn: 'count', input: 1 },
    ];
    const r = both(specs, [x, y], [0, 0, 1, 1], 2);
    expect(r.fused).toEqual(r.separate);
    expect(r.finishes).toEqual([
      [Number.NaN, 1],
      [4, 7],
      [4, 5],
      [1n, 2n],
    ]);
  });

  it('keeps groups beyond a resize and empty input', () => {
    const r = both(W2, [[]], [], 4);
    expect(r.finishes).toEqual([[0n], [null], [null], [null]]);
    const ids = Array.from({ length: 100 }, (_, i) => (i * 37) % 61);
    const x = ids.map((g) => g / 4);
    const big = both(W2, [x], ids, 16);
    expect(big.fused).toEqual(big.separate);
  });
});

describe('planFusedAggregates', () => {
  const bindAll = (calls: AggCall[], valueTypes: DataType[]) => calls.map((c, k) => bindAggregate(c, valueTypes[k] as DataType));

  it('fuses count(*) and float64 count/sum/avg/min/max, sharing structurally equal inputs', () => {
    const calls = [agg('count'), agg('sum', col('a')), agg('first', col('a')), agg('avg', col('a')), agg('max', col('b')), agg('sum', col('n'))];
    const valueTypes: DataType[] = [types.null, types.float64, types.float64, types.float64, types.float64, types.int32];
    const plan = planFusedAggregates(bindAll(calls, valueTypes), valueTypes);
    expect(plan?.members).toEqual([0, 1, 3, 4]);
    expect(plan?.specs).toEqual([
      { fn: 'count', input: -1 },
      { fn: 'sum', input: 0 },
      { fn: 'avg', input: 0 },
      { fn: 'max', input: 1 },
    ]);
    expect(plan?.inputs).toEqual([col('a'), col('b')]);
  });

  it('returns null when fewer than two aggregates qualify', () => {
    const calls = [agg('sum', col('n')), agg('max', col('a')), agg('count', col('s'))];
    const valueTypes: DataType[] = [types.int64, types.float64, types.utf8];
    expect(planFusedAggregates(bindAll(calls, valueTypes), valueTypes)).toBeNull();
  });
});
