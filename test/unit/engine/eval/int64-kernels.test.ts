import { describe, expect, it } from 'vitest';
import { types } from '../../../../common/data-type.js';
import * as F from '../../../../dataframe/expr/functions.js';
import { batchOf, evalValues } from './eval-helpers.js';

const { col, lit } = F;

const rows = batchOf([
  ['t', types.timestamp('ms', 'UTC'), [1704067197719n, -1n, null, 1704067260000n, 0n]],
  ['u', types.timestamp('us', 'UTC'), [1704067197719123n, -1n, null, 1500n, 0n]],
  ['b', types.int64, [9007199254740993n, -7n, null, 2n ** 62n, 5n]],
  ['z', types.int64, [0n, 2n, 3n, 0n, -2n]],
  ['d', types.float64, [Number.NaN, -2.5, 1e300, Number.POSITIVE_INFINITY, 7.9]],
]);

describe('int64 and time kernels', () => {
  it("computes W3's minute window exactly, keeping nulls", () => {
    const w = F.floor(F.unixMillis('t').divide(60000)).multiply(60000);
    expect(evalValues(w, rows)).toEqual([1704067140000n, -60000n, null, 1704067260000n, 0n]);
  });

  it('reads unixMillis of millisecond timestamps as they are and floors microseconds', () => {
    expect(evalValues(F.unixMillis('t'), rows)).toEqual([1704067197719n, -1n, null, 1704067260000n, 0n]);
    expect(evalValues(F.unixMillis('u'), rows)).toEqual([1704067197719n, -1n, null, 1n, 0n]);
  });

  it('gives null for % by a zero literal or zero rows, and wraps past 2^53 with a literal operand', () => {
    expect(evalValues(col('b').mod(lit(0n)), rows)).toEqual([null, null, null, null, null]);
    expect(evalValues(col('b').mod(col('z')), rows)).toEqual([null, -1n, null, null, 1n]);
    expect(evalValues(col('b').multiply(lit(4n)), rows)).toEqual([36028797018963972n, -28n, null, 0n, 20n]);
    expect(evalValues(col('b').minus(lit(1n)), rows)).toEqual([9007199254740992n, -8n, null, 2n ** 62n - 1n, 4n]);
  });

  it('floors doubles to bigint with null only for NaN and out-of-range values', () => {
    expect(evalValues(F.floor('d'), rows)).toEqual([null, -3n, null, null, 7n]);
    expect(evalValues(F.ceil(col('d').divide(lit(1e290))), rows)).toEqual([null, -0n, 10000000000n, null, 1n]);
  });
});
