import { describe, expect, it } from 'vitest';
import type { ColumnVector } from '../../../../common/column-vector.js';
import type { DataType } from '../../../../common/data-type.js';
import { types } from '../../../../common/data-type.js';
import { vectorFromValues } from '../../../../common/vector-from-values.js';
import type { JsValue } from '../../../../common/vector-from-values.js';
import { valueAt } from '../../../../common/vector-value-at.js';
import { radixSortPermutation } from '../../../../engine/sort/radix-sort.js';
import { sortPermutation } from '../../../../engine/sort/sort-permutation.js';
import { utf8Ranks } from '../../../../engine/sort/utf8-ranks.js';

const ASC = { ascending: true, nullsFirst: true };
const DESC = { ascending: false, nullsFirst: false };

function sorted(type: DataType, values: JsValue[], dir = ASC): JsValue[] {
  const v = vectorFromValues(type, values);
  const perm = sortPermutation([v], [dir], v.length);
  return Array.from(perm, (i) => valueAt(v, i));
}

function dictVector(dict: string[], idx: (number | null)[]): ColumnVector {
  return {
    type: types.utf8,
    length: idx.length,
    validity: idx.some((i) => i === null) ? Uint8Array.from(idx, (i) => (i === null ? 0 : 1)) : null,
    values: Int32Array.from(idx, (i) => i ?? 0),
    dictionary: vectorFromValues(types.utf8, dict),
  };
}

describe('sortPermutation', () => {
  it('sorts int32 ascending with nulls first and descending with nulls last', () => {
    const vals = [3, null, -1, 2147483647, -2147483648, 0, null, 3];
    expect(sorted(types.int32, vals)).toEqual([null, null, -2147483648, -1, 0, 3, 3, 2147483647]);
    expect(sorted(types.int32, vals, DESC)).toEqual([2147483647, 3, 3, 0, -1, -2147483648, null, null]);
    expect(sorted(types.int32, vals, { ascending: true, nullsFirst: false })).toEqual([-2147483648, -1, 0, 3, 3, 2147483647, null, null]);
    expect(sorted(types.int32, vals, { ascending: false, nullsFirst: true })).toEqual([null, null, 2147483647, 3, 3, 0, -1, -2147483648]);
  });

  it('sorts int64 exactly beyond 2^53 and timestamps', () => {
    const big = 2n ** 62n;
    const vals = [big + 1n, -big, big, 0n, -1n, null, 9007199254740993n, 9007199254740992n];
    expect(sorted(types.int64, vals)).toEqual([null, -big, -1n, 0n, 9007199254740992n, 9007199254740993n, big, big + 1n]);
    const ts = sorted(types.timestamp('ms'), [5, 1, 3]);
    expect(ts.map((d) => (d as Date).getTime())).toEqual([1, 3, 5]);
  });

  it('sorts float64 with NaN above infinity, -0 equal to 0 and stable ties', () => {
    const vals = [Number.NaN, 1.5, Number.NEGATIVE_INFINITY, -0, null, Number.POSITIVE_INFINITY, 0, -2.25, Number.NaN, 1e-300, -1e-300];
    const v = vectorFromValues(types.float64, vals);
    const perm = sortPermutation([v], [ASC], v.length);
    expect(Array.from(perm)).toEqual([4, 2, 7, 10, 3, 6, 9, 1, 5, 0, 8]);
    const permDesc = sortPermutation([v], [DESC], v.length);
    expect(Array.from(permDesc)).toEqual([0, 8, 5, 1, 9, 3, 6, 10, 7, 2, 4]);
  });

  it('sorts booleans and dates', () => {
    expect(sorted(types.boolean, [true, false, null, true])).toEqual([null, false, true, true]);
    expect(sorted(types.boolean, [true, false, null, true], DESC)).toEqual([true, true, false, null]);
    const d = sorted(types.date, [20000, -5, 0]).map((x) => (x as Date).getTime() / 86400000);
    expect(d).toEqual([-5, 0, 20000]);
  });

  it('sorts utf8 by bytes, including long shared prefixes and non-ASCII', () => {
    const vals = ['b', 'abcdefghij2', '', 'abcdefghij1', 'abcdefgh', 'a', null, 'é', 'z', 'abcdefgh\u0000', 'B'];
    expect(sorted(types.utf8, vals)).toEqual([null, '', 'B', 'a', 'abcdefgh', 'abcdefgh\u0000', 'abcdefghij1', 'abcdefghij2', 'b', 'z', 'é']);
  });

  it('ranks dictionary-encoded strings like plain ones, with duplicate entries', () => {
    const v = dictVector(['pear', 'apple', 'fig', 'apple'], [0, 1, null, 2, 3, 0]);
    const r = utf8Ranks(v);
    expect([r[0], r[1], r[3], r[4], r[5]]).toEqual([2, 0, 1, 0, 2]);
    const perm = sortPermutation([v], [DESC], v.length);
    expect(Array.from(perm)).toEqual([0, 5, 3, 1, 4, 2]);
  });

  it('sorts by several keys, column by column, stably', () => {
    const a = vectorFromValues(types.utf8, ['x', 'y', 'x', null, 'y', 'x']);
    const b = vectorFromValues(types.int64, [2n, 1n, 1n, 5n, 1n, 2n]);
    const perm = sortPermutation([a, b], [ASC, DESC], 6);
    expect(Array.from(perm)).toEqual([3, 0, 5, 2, 1, 4]);
  });

  it('handles empty input, one row and null-typed keys', () => {
    expect(Array.from(sortPermutation([vectorFromValues(types.float64, [])], [ASC], 0))).toEqual([]);
    expect(Array.from(sortPermutation([vectorFromValues(types.float64, [1])], [ASC], 1))).toEqual([0]);
    expect(Array.from(sortPermutation([vectorFromValues(types.null, [null, null, null])], [ASC], 3))).toEqual([0, 1, 2]);
  });

  it('rejects list keys with UNSUPPORTED', () => {
    const v = vectorFromValues(types.list(types.int32), [[1], [2]]);
    expect(() => sortPermutation([v], [ASC], 2)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
  });

  it('radix-sorts random words like a stable comparison sort', () => {
    let seed = 7;
    const rnd = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) | 0;
      return seed;
    };
    const n = 5000;
    const w0 = Int32Array.from({ length: n }, () => rnd() & 0x3);
    const w1 = Int32Array.from({ length: n }, () => rnd());
    const perm = radixSortPermutation([w0.slice(), w1.slice()], n);
    const expected = Array.from({ length: n }, (_, i) => i).sort(
      (x, y) => (w0[x] as number) - (w0[y] as number) || ((w1[x] as number) >>> 0) - ((w1[y] as number) >>> 0) || x - y,
    );
    expect(Array.from(perm)).toEqual(expected);
  });
});
