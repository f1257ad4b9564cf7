import { describe, expect, it } from 'vitest';
import type { DataType } from '../../../../common/data-type.js';
import { types } from '../../../../common/data-type.js';
import type { JsValue } from '../../../../common/vector-from-values.js';
import type { AggregateFunctionName } from '../../../../dataframe/expr/expr.js';
import { aggregate, aggregateSplit, call } from './agg-test-kit.js';

function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
}

const rnd = lcg(7);
const N = 400;
const groups = Array.from({ length: N }, () => Math.floor(rnd() * 9));
const ints: JsValue[] = Array.from({ length: N }, () => (rnd() < 0.2 ? null : Math.floor(rnd() * 50) - 10));
const bigs: JsValue[] = ints.map((x) => (x === null ? null : BigInt(x as number) * 2n ** 50n));
const strs: JsValue[] = ints.map((x) => (x === null ? null : `s${x}`));
const dbls: JsValue[] = ints.map((x) => (x === null ? null : (x as number) / 4));
// Group 9 only sees nulls.
groups.push(9, 9);
for (const col of [ints, bigs, strs, dbls]) col.push(null, null);

const plan: [AggregateFunctionName, DataType, JsValue[], boolean?][] = [
  ['count', types.int32, ints],
  ['sum', types.int64, bigs],
  ['sum', types.float64, dbls],
  ['avg', types.int32, ints],
  ['min', types.utf8, strs],
  ['max', types.int64, bigs],
  ['collectList', types.utf8, strs],
  ['collectSet', types.int32, ints],
  ['countDistinct', types.utf8, strs],
  ['approxCountDistinct', types.int64, bigs],
  ['first', types.utf8, strs, false],
  ['first', types.utf8, strs, true],
  ['last', types.float64, dbls, false],
  ['last', types.float64, dbls, true],
];

describe('partial + final equals complete', () => {
  for (const [fn, type, values, ignoreNulls] of plan) {
    it(`${fn}${ignoreNulls === undefined ? '' : `(ignoreNulls=${ignoreNulls})`} over ${type.kind}`, () => {
      const c = ignoreNulls === undefined ? call(fn) : call(fn, ignoreNulls);
      const complete = aggregate(c, type, values, groups);
      expect(aggregateSplit(c, type, values, groups, 5)).toEqual(complete);
      expect(aggregateSplit(c, type, values, groups, 1)).toEqual(complete);
    });
  }

  it('variance merges to the same value', () => {
    for (const fn of ['stddev', 'stddevPop', 'variance', 'varPop'] as const) {
      const complete = aggregate(call(fn), types.float64, dbls, groups);
      const split = aggregateSplit(call(fn), types.float64, dbls, groups, 7);
      split.forEach((v, g) => {
        if (v === null) expect(complete[g]).toBeNull();
        else expect(v as number).toBeCloseTo(complete[g] as number, 9);
      });
    }
  });
});
