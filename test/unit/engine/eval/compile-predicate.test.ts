import { describe, expect, it } from 'vitest';
import { types } from '../../../../common/data-type.js';
import type { Column } from '../../../../dataframe/expr/column.js';
import { analyzeExpr } from '../../../../dataframe/expr/analyze-expr.js';
import * as F from '../../../../dataframe/expr/functions.js';
import { compilePredicate } from '../../../../engine/eval/compile-predicate.js';
import { batchOf, dictVector } from './eval-helpers.js';

const { col, lit } = F;

const plain = batchOf([
  ['amount', types.float64, [150, 50, null, 101, Number.NaN, 200, 100]],
  ['country', types.utf8, ['US', 'US', 'GB', 'FR', 'DE', null, 'GB']],
  ['n', types.int64, [2n ** 60n, 1n, 2n, null, 3n, 4n, 5n]],
  ['ok', types.boolean, [true, null, false, true, true, true, true]],
]);
const dict = batchOf([
  ['amount', plain.columns[0] as never],
  ['country', dictVector(['GB', 'US', 'DE', 'FR'], [1, 1, 0, 3, 2, null, 0])],
  ['n', plain.columns[2] as never],
  ['ok', plain.columns[3] as never],
]);

function rows(c: Column, b = plain): number[] {
  return Array.from(compilePredicate(analyzeExpr(c.expr, b.schema).expr, b.schema)(b));
}

describe('compilePredicate', () => {
  it('selects rows where a conjunction is true, skipping nulls and NaN as the largest value', () => {
    for (const b of [plain, dict]) {
      expect(
        rows(
          col('amount')
            .gt(100)
            .and(col('country').isin('US', 'GB', 'DE')),
          b,
        ),
      ).toEqual([0, 4]);
      expect(rows(col('country').isin('US', 'GB').and(col('amount').leq(100)), b)).toEqual([1, 6]);
      expect(rows(col('country').eq('GB'), b)).toEqual([2, 6]);
      expect(rows(col('country').startsWith('U').or(col('amount').isNull()), b)).toEqual([0, 1, 2]);
    }
  });

  it('handles literals on the left, int64 beyond 2^53, booleans and constant conditions', () => {
    expect(rows(lit(100).lt(col('amount')))).toEqual([0, 3, 4, 5]);
    expect(rows(col('n').geq(2n ** 60n))).toEqual([0]);
    expect(
      rows(
        col('n')
          .ne(2n ** 60n)
          .and(col('ok')),
      ),
    ).toEqual([4, 5, 6]);
    expect(rows(col('ok'))).toEqual([0, 3, 4, 5, 6]);
    expect(rows(col('ok').not())).toEqual([2]);
    expect(rows(lit(1).lt(2))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(rows(lit(1).gt(2).or(lit(null)))).toEqual([]);
    expect(rows(col('amount').gt(lit(null)))).toEqual([]);
  });

  it('evaluates later conjuncts on few surviving rows by gathering them', () => {
    const n = 64;
    const b = batchOf([
      ['x', types.int32, Array.from({ length: n }, (_, i) => i)],
      ['s', types.utf8, Array.from({ length: n }, (_, i) => `v${i % 7}`)],
    ]);
    expect(rows(col('x').lt(10).and(F.upper('s').eq('V3')), b)).toEqual([3]);
    expect(rows(col('x').geq(60).and(col('x').mod(2).eq(0)), b)).toEqual([60, 62]);
  });

  it('returns no rows for an empty batch', () => {
    const b = batchOf([['x', types.int32, []]]);
    expect(rows(col('x').gt(1).and(col('x').lt(5)), b)).toEqual([]);
  });
});
