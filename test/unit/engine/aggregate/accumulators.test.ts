import { describe, expect, it } from 'vitest';
import type { DataType } from '../../../../common/data-type.js';
import { types } from '../../../../common/data-type.js';
import type { JsValue } from '../../../../common/vector-from-values.js';
import { partialStateFields } from '../../../../engine/aggregate/bind-aggregate.js';
import { field, schemaOf } from '../../../../common/schema.js';
import { aggregate, call } from './agg-test-kit.js';

const I = types.int32;
const L = types.int64;
const D = types.float64;
const S = types.utf8;

describe('count', () => {
  it('counts non-null values, count(*) counts rows, empty groups count 0', () => {
    expect(aggregate(call('count'), I, [1, null, 3, null], [0, 0, 1, 2])).toEqual([1n, 1n, 0n]);
    const star = { kind: 'agg', fn: 'count', args: [] } as const;
    expect(aggregate(star, types.null, [null, null, null], [0, 1, 1])).toEqual([1n, 2n]);
    expect(aggregate(call('count'), I, [])).toEqual([0n]);
  });
});

describe('sum and avg', () => {
  it('skips nulls and gives null for all-null groups', () => {
    expect(aggregate(call('sum'), I, [1, null, 3, null, 5], [0, 0, 0, 1, 2])).toEqual([4n, null, 5n]);
    expect(aggregate(call('sum'), D, [1.5, null, 2.25], [0, 1, 0])).toEqual([3.75, null]);
    expect(aggregate(call('avg'), I, [1, null, 4, null], [0, 0, 0, 1])).toEqual([2.5, null]);
    expect(aggregate(call('avg'), D, [1, 2, 4])).toEqual([7 / 3]);
  });

  it('is null over empty input and exact for one row', () => {
    expect(aggregate(call('sum'), L, [])).toEqual([null]);
    expect(aggregate(call('avg'), L, [])).toEqual([null]);
    expect(aggregate(call('sum'), L, [7n])).toEqual([7n]);
    expect(aggregate(call('avg'), L, [7n])).toEqual([7]);
  });

  it('sums int64 exactly beyond 2^53 and wraps like Spark past 2^63', () => {
    const big = 2n ** 53n;
    expect(aggregate(call('sum'), L, [big, 1n, 1n, 1n])).toEqual([big + 3n]);
    expect(aggregate(call('sum'), L, [2n ** 62n, -(2n ** 62n), 2n ** 60n + 7n])).toEqual([2n ** 60n + 7n]);
    expect(aggregate(call('sum'), L, [2n ** 62n, 2n ** 62n])).toEqual([-(2n ** 63n)]);
    const ints = Array.from({ length: 10 }, () => 2147483647);
    expect(aggregate(call('sum'), I, ints)).toEqual([21474836470n]);
    expect(aggregate(call('avg'), L, [big, big + 2n])).toEqual([Number(big + 1n)]);
  });
});

describe('variance family', () => {
  const xs: JsValue[] = [2, 4, 4, 4, 5, 5, 7, 9, null];
  it('computes sample and population statistics', () => {
    expect(aggregate(call('varPop'), D, xs)[0]).toBeCloseTo(4, 12);
    expect(aggregate(call('stddevPop'), D, xs)[0]).toBeCloseTo(2, 12);
    expect(aggregate(call('variance'), D, xs)[0]).toBeCloseTo(32 / 7, 12);
    expect(aggregate(call('stddev'), I, xs)[0]).toBeCloseTo(Math.sqrt(32 / 7), 12);
  });
  it('is null for one row (sample) and for no rows', () => {
    expect(aggregate(call('stddev'), D, [3])).toEqual([null]);
    expect(aggregate(call('variance'), D, [3, null])).toEqual([null]);
    expect(aggregate(call('varPop'), D, [3])).toEqual([0]);
    expect(aggregate(call('stddevPop'), D, [null])).toEqual([null]);
    expect(aggregate(call('stddev'), D, [])).toEqual([null]);
  });
});

describe('min and max', () => {
  const cases: [DataType, JsValue[], JsValue, JsValue][] = [
    [I, [3, null, -7, 12], -7, 12],
    [L, [2n ** 60n, null, -(2n ** 61n), 5n], -(2n ** 61n), 2n ** 60n],
    [D, [1.5, Number.NaN, -2], -2, Number.NaN],
    [S, ['pear', null, 'apple', 'äpfel', 'zebra', ''], '', 'äpfel'],
    [types.boolean, [true, null, false], false, true],
    [types.date, [20, 10, null], new Date(10 * 86400000), new Date(20 * 86400000)],
    [types.timestamp('us'), [5000n, 1000n], new Date(1), new Date(5)],
  ];
  for (const [type, values, lo, hi] of cases) {
    it(`over ${type.kind}`, () => {
      expect(aggregate(call('min'), type, values)).toEqual([lo]);
      expect(aggregate(call('max'), type, values)).toEqual([hi]);
    });
  }
  it('per group, with all-null groups and empty input', () => {
    expect(aggregate(call('min'), S, ['b', 'a', null, 'c', 'a'], [0, 0, 1, 2, 2])).toEqual(['a', null, 'a']);
    expect(aggregate(call('max'), I, [null], [1])).toEqual([null, null]);
    expect(aggregate(call('max'), S, [])).toEqual([null]);
    expect(aggregate(call('min'), D, [Number.NaN, Number.NaN])).toEqual([Number.NaN]);
  });
});

describe('first and last', () => {
  const xs: JsValue[] = [null, 'a', 'b', null];
  it('take nulls by default and skip them with ignoreNulls', () => {
    expect(aggregate(call('first'), S, xs)).toEqual([null]);
    expect(aggregate(call('last'), S, xs)).toEqual([null]);
    expect(aggregate(call('first', true), S, xs)).toEqual(['a']);
    expect(aggregate(call('last', true), S, xs)).toEqual(['b']);
  });
  it('work per group over any type, and give null for empty input', () => {
    expect(aggregate(call('first', true), L, [null, 1n, 2n, 3n, null], [0, 0, 1, 0, 1])).toEqual([1n, 2n]);
    expect(aggregate(call('last', true), L, [null, 1n, 2n, 3n, null], [0, 0, 1, 0, 1])).toEqual([3n, 2n]);
    expect(aggregate(call('last'), types.list(I), [[1], [2, 3]])).toEqual([[2, 3]]);
    expect(aggregate(call('first'), D, [])).toEqual([null]);
    expect(aggregate(call('first', true), D, [null, null], [0, 1])).toEqual([null, null]);
  });
});

describe('collectList, collectSet, countDistinct', () => {
  it('skip nulls, keep order, give empty lists for empty groups', () => {
    expect(aggregate(call('collectList'), S, ['a', null, 'b', 'a', 'c'], [0, 0, 0, 0, 2])).toEqual([['a', 'b', 'a'], [], ['c']]);
    expect(aggregate(call('collectSet'), S, ['a', null, 'b', 'a', 'c'], [0, 0, 0, 0, 2])).toEqual([['a', 'b'], [], ['c']]);
    expect(aggregate(call('countDistinct'), S, ['a', null, 'b', 'a', 'c'], [0, 0, 0, 0, 2])).toEqual([2n, 0n, 1n]);
    expect(aggregate(call('collectList'), I, [])).toEqual([[]]);
    expect(aggregate(call('countDistinct'), I, [])).toEqual([0n]);
    expect(aggregate(call('countDistinct'), L, [2n ** 60n, 2n ** 60n + 1n, 2n ** 60n, null])).toEqual([2n]);
    expect(aggregate(call('collectSet'), D, [1, 1, null, 2])).toEqual([[1, 2]]);
  });
});

describe('approxCountDistinct', () => {
  it('is near exact for small cardinalities', () => {
    expect(aggregate(call('approxCountDistinct'), I, [1, 2, 3, 1, 2, null, 5])).toEqual([4n]);
    expect(aggregate(call('approxCountDistinct'), S, [])).toEqual([0n]);
    expect(aggregate(call('approxCountDistinct'), S, ['a', 'b', 'a'], [0, 1, 1])).toEqual([1n, 2n]);
  });

  it('stays within its error bound on 100k distinct values', () => {
    const n = 100_000;
    const ints = Array.from({ length: n }, (_, i) => i * 7 + 3);
    const strs = ints.map((i) => `user-${i}`);
    for (const [type, values, rsd] of [
      [I, ints, 0.05],
      [S, strs, 0.05],
      [I, ints, 0.01],
    ] as const) {
      const est = Number(aggregate(call('approxCountDistinct', rsd), type, values)[0]);
      expect(Math.abs(est - n) / n).toBeLessThan(3 * rsd);
    }
  });

  it('rejects an rsd that is out of range', () => {
    expect(() => aggregate(call('approxCountDistinct', 0.9), I, [1])).toThrow(/rsd/);
  });
});

describe('partialStateFields', () => {
  it('lists each call’s state columns', () => {
    const schema = schemaOf([field('x', types.int32)]);
    const fields = partialStateFields([call('avg'), call('count'), call('min'), call('first'), call('collectSet')], schema);
    expect(fields.map((f) => `${f.name}:${f.type.kind}`)).toEqual([
      'sum:int64',
      'count:int64',
      'count:int64',
      'min:int32',
      'value:int32',
      'valueSet:boolean',
      'set:list',
    ]);
    expect(partialStateFields([call('sum')], schemaOf([field('x', types.float64)]))[0]?.type).toEqual(types.float64);
  });
});
