import { describe, expect, it } from 'vitest';
import { types } from '../../../../common/data-type.js';
import * as F from '../../../../dataframe/expr/functions.js';
import { batchOf, dictVector, evalValues } from './eval-helpers.js';

const { col, lit } = F;

const nums = batchOf([
  ['i', types.int32, [1, -7, null, 2147483647, 0]],
  ['j', types.int32, [2, 2, 5, 1, 0]],
  ['d', types.float64, [1.5, Number.NaN, null, -0, 10]],
  ['b', types.int64, [2n ** 60n, -3n, null, 9007199254740993n, 0n]],
  ['s', types.utf8, ['US', 'gb', null, 'DE', '']],
  ['f', types.boolean, [true, false, null, true, false]],
]);

describe('arithmetic', () => {
  it('computes int32 with wrap, division as double and null on zero divisors', () => {
    expect(evalValues(col('i').plus(col('j')), nums)).toEqual([3, -5, null, -2147483648, 0]);
    expect(evalValues(col('i').multiply(col('j')), nums)).toEqual([2, -14, null, 2147483647, 0]);
    expect(evalValues(col('i').minus(1), nums)).toEqual([0, -8, null, 2147483646, -1]);
    expect(evalValues(lit(10).minus(col('i')), nums)).toEqual([9, 17, null, -2147483637, 10]);
    expect(evalValues(col('i').mod(col('j')), nums)).toEqual([1, -1, null, 0, null]);
    expect(evalValues(col('i').divide(col('j')), nums)).toEqual([0.5, -3.5, null, 2147483647, null]);
    expect(evalValues(col('d').divide(0), nums)).toEqual([null, null, null, null, null]);
    expect(evalValues(col('i').negate(), nums)).toEqual([-1, 7, null, -2147483647, 0]);
  });

  it('keeps int64 exact beyond 2^53 and wraps at 64 bits', () => {
    expect(evalValues(col('b').plus(1n), nums)).toEqual([2n ** 60n + 1n, -2n, null, 9007199254740994n, 1n]);
    expect(evalValues(col('b').multiply(16n), nums)).toEqual([BigInt.asIntN(64, 2n ** 64n), -48n, null, 144115188075855888n, 0n]);
    expect(evalValues(col('b').mod(10n), nums)).toEqual([2n ** 60n % 10n, -3n, null, 3n, 0n]);
    expect(evalValues(col('b').mod(col('j')), nums)).toEqual([0n, -1n, null, 0n, null]);
    expect(evalValues(col('b').minus(col('i')), nums)).toEqual([2n ** 60n - 1n, 4n, null, 9007199254740993n - 2147483647n, 0n]);
  });

  it('handles empty batches', () => {
    const empty = batchOf([['x', types.int64, []]]);
    expect(evalValues(col('x').plus(1), empty)).toEqual([]);
    expect(evalValues(col('x').gt(1), empty)).toEqual([]);
  });
});

describe('comparison', () => {
  it('compares numbers with nulls, NaN and -0.0 as Spark', () => {
    expect(evalValues(col('d').gt(2), nums)).toEqual([false, true, null, false, true]);
    expect(evalValues(col('d').eq(Number.NaN), nums)).toEqual([false, true, null, false, false]);
    expect(evalValues(col('d').eq(0), nums)).toEqual([false, false, null, true, false]);
    expect(evalValues(col('d').lt(col('d')), nums)).toEqual([false, false, null, false, false]);
    expect(evalValues(lit(2).lt(col('i')), nums)).toEqual([false, false, null, true, false]);
    expect(evalValues(col('i').eqNullSafe(lit(null)), nums)).toEqual([false, false, true, false, false]);
    expect(evalValues(col('i').eqNullSafe(col('j')), nums)).toEqual([false, false, false, false, true]);
    expect(evalValues(col('i').gt(lit(null)), nums)).toEqual([null, null, null, null, null]);
  });

  it('compares int64 beyond 2^53 exactly', () => {
    expect(evalValues(col('b').gt(9007199254740992n), nums)).toEqual([true, false, null, true, false]);
    expect(evalValues(col('b').eq(9007199254740993n), nums)).toEqual([false, false, null, true, false]);
    expect(evalValues(col('b').geq(col('i')), nums)).toEqual([true, true, null, true, true]);
  });

  it('compares strings byte-wise, plain and dictionary-encoded alike', () => {
    const dict = batchOf([['s', dictVector(['gb', 'US', '', 'DE'], [1, 0, null, 3, 2])]]);
    for (const b of [nums, dict]) {
      expect(evalValues(col('s').eq('US'), b)).toEqual([true, false, null, false, false]);
      expect(evalValues(col('s').lt('a'), b)).toEqual([true, false, null, true, true]);
      expect(evalValues(col('s').geq(col('s')), b)).toEqual([true, true, null, true, true]);
      expect(evalValues(lit('E').gt(col('s')), b)).toEqual([false, false, null, true, true]);
    }
    const uni = batchOf([['u', types.utf8, ['\uFFFF', '😀']]]);
    expect(evalValues(col('u').lt(lit('😀')), uni)).toEqual([true, false]);
  });
});

describe('boolean logic, null tests and IN', () => {
  const bools = batchOf([
    ['p', types.boolean, [true, true, true, false, false, false, null, null, null]],
    ['q', types.boolean, [true, false, null, true, false, null, true, false, null]],
  ]);
  it('uses three-valued logic', () => {
    expect(evalValues(col('p').and(col('q')), bools)).toEqual([true, false, null, false, false, false, null, false, null]);
    expect(evalValues(col('p').or(col('q')), bools)).toEqual([true, true, true, true, false, null, true, null, null]);
    expect(evalValues(col('p').not(), bools)).toEqual([false, false, false, true, true, true, null, null, null]);
    expect(evalValues(col('p').isNull(), bools)).toEqual([false, false, false, false, false, false, true, true, true]);
    expect(evalValues(col('q').isNotNull(), bools)).toEqual([true, true, false, true, true, false, true, true, false]);
  });

  it('evaluates IN with SQL null semantics on every storage', () => {
    expect(evalValues(col('s').isin('US', 'DE'), nums)).toEqual([true, false, null, true, false]);
    expect(evalValues(col('s').isin('US', null), nums)).toEqual([true, null, null, null, null]);
    expect(evalValues(col('i').isin(1, 0), nums)).toEqual([true, false, null, false, true]);
    expect(evalValues(col('d').isin(Number.NaN, 0), nums)).toEqual([false, true, null, true, false]);
    expect(evalValues(col('b').isin(9007199254740993n, -3n), nums)).toEqual([false, true, null, true, false]);
    expect(evalValues(col('i').isin(col('j'), 1), nums)).toEqual([true, false, null, false, true]);
    const dict = batchOf([['s', dictVector(['US', 'FR'], [0, 1, null, 0])]]);
    expect(evalValues(col('s').isin('US', 'GB'), dict)).toEqual([true, false, null, true]);
  });
});

describe('case and coalesce', () => {
  it('picks the first true branch and the first non-null value', () => {
    const c = F.when(col('i').gt(0), col('s')).when(col('f'), 'flag').otherwise(lit(null));
    expect(evalValues(c, nums)).toEqual(['US', null, null, 'DE', null]);
    expect(evalValues(F.when(col('f'), 1), nums)).toEqual([1, null, null, 1, null]);
    expect(evalValues(F.coalesce(col('i'), col('j')), nums)).toEqual([1, -7, 5, 2147483647, 0]);
    expect(evalValues(F.coalesce(col('b'), col('i')), nums)).toEqual([2n ** 60n, -3n, null, 9007199254740993n, 0n]);
    expect(evalValues(F.coalesce(col('s'), lit('none')), nums)).toEqual(['US', 'gb', 'none', 'DE', '']);
  });
});
