import { describe, expect, it } from 'vitest';
import type { ColumnVector } from '../../../common/column-vector.js';
import { isNullAt, nullCount } from '../../../common/column-vector.js';
import { types } from '../../../common/data-type.js';
import { SluiceError } from '../../../common/errors.js';
import type { JsValue } from '../../../common/vector-from-values.js';
import { inferTypeOfValues, vectorFromValues } from '../../../common/vector-from-values.js';
import { valueAt } from '../../../common/vector-value-at.js';

function rows(v: ColumnVector): JsValue[] {
  return Array.from({ length: v.length }, (_, i) => valueAt(v, i));
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof SluiceError) return e.code;
    throw e;
  }
  return 'none';
}

describe('vectorFromValues', () => {
  it('builds boolean vectors of byte-per-row values with nulls', () => {
    const v = vectorFromValues(types.boolean, [true, null, false, undefined]);
    expect(v.values).toEqual(Uint8Array.from([1, 0, 0, 0]));
    expect(v.validity).toEqual(Uint8Array.from([1, 0, 1, 0]));
    expect(rows(v)).toEqual([true, null, false, null]);
    expect(nullCount(v)).toBe(2);
  });

  it('leaves validity null when there are no nulls', () => {
    expect(vectorFromValues(types.int32, [1, 2]).validity).toBeNull();
    expect(vectorFromValues(types.int32, []).length).toBe(0);
  });

  it('builds int32 from numbers and bigints', () => {
    const v = vectorFromValues(types.int32, [1, -2, 3n, null]);
    expect(v.values).toBeInstanceOf(Int32Array);
    expect(rows(v)).toEqual([1, -2, 3, null]);
  });

  it('builds int64 exactly, beyond 2^53 and negative', () => {
    const big = 2n ** 62n + 7n;
    const v = vectorFromValues(types.int64, [big, -5, null, -(2n ** 63n)]);
    expect(v.values).toBeInstanceOf(BigInt64Array);
    expect(rows(v)).toEqual([big, -5n, null, -(2n ** 63n)]);
  });

  it('builds float64 from numbers and bigints, keeping NaN', () => {
    const v = vectorFromValues(types.float64, [1.5, 2n, Number.NaN, null]);
    const r = rows(v);
    expect(r.slice(0, 2)).toEqual([1.5, 2]);
    expect(Number.isNaN(r[2])).toBe(true);
    expect(r[3]).toBeNull();
  });

  it('builds utf8 with offsets, multi-byte text and empty strings', () => {
    const v = vectorFromValues(types.utf8, ['ab', null, '', 'é€😀', 7]);
    expect(Array.from(v.offsets as Int32Array)).toEqual([0, 2, 2, 2, 11, 12]);
    expect(rows(v)).toEqual(['ab', null, '', 'é€😀', '7']);
  });

  it('builds date from day numbers, Dates and ISO strings', () => {
    const v = vectorFromValues(types.date, [0, new Date('2024-03-01T15:00:00Z'), '1969-12-31', null]);
    expect(Array.from(v.values as Int32Array).slice(0, 3)).toEqual([0, 19783, -1]);
    expect(rows(v)).toEqual([new Date(0), new Date('2024-03-01T00:00:00Z'), new Date('1969-12-31T00:00:00Z'), null]);
  });

  it('builds timestamps in ms and us from Dates, ISO strings and integers', () => {
    const d = new Date('2024-01-02T03:04:05.678Z');
    const ms = vectorFromValues(types.timestamp('ms'), [d, '2024-01-02T03:04:05.678Z', 5, null]);
    expect(Array.from(ms.values as BigInt64Array).slice(0, 3)).toEqual([BigInt(d.getTime()), BigInt(d.getTime()), 5n]);
    expect(rows(ms)).toEqual([d, d, new Date(5), null]);
    const us = vectorFromValues(types.timestamp('us', 'UTC'), [d, 1500n]);
    expect(Array.from(us.values as BigInt64Array)).toEqual([BigInt(d.getTime()) * 1000n, 1500n]);
  });

  it('builds lists with a flattened child, null and empty rows', () => {
    const v = vectorFromValues(types.list(types.int64), [[1, 2], null, [], [3, null]]);
    expect(Array.from(v.offsets as Int32Array)).toEqual([0, 2, 2, 2, 4]);
    expect(v.child?.length).toBe(4);
    expect(rows(v)).toEqual([[1n, 2n], null, [], [3n, null]]);
  });

  it('builds null vectors where every row is null', () => {
    const v = vectorFromValues(types.null, [null, null, 1]);
    expect(v.length).toBe(3);
    expect(isNullAt(v, 2)).toBe(true);
    expect(nullCount(v)).toBe(3);
    expect(rows(v)).toEqual([null, null, null]);
  });

  it('rejects values of the wrong type with INVALID_ARGUMENT', () => {
    expect(codeOf(() => vectorFromValues(types.boolean, [1]))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => vectorFromValues(types.int32, [1.5]))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => vectorFromValues(types.int64, [1.5]))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => vectorFromValues(types.int64, ['12']))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => vectorFromValues(types.timestamp(), ['not a date']))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => vectorFromValues(types.float64, ['x']))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => vectorFromValues(types.list(types.int64), [5]))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => vectorFromValues(types.date, ['nope']))).toBe('INVALID_ARGUMENT');
  });
});

describe('inferTypeOfValues', () => {
  it('infers each scalar type, skipping nulls', () => {
    expect(inferTypeOfValues([null, true])).toEqual(types.boolean);
    expect(inferTypeOfValues([1, 2, null])).toEqual(types.int64);
    expect(inferTypeOfValues([1n])).toEqual(types.int64);
    expect(inferTypeOfValues([1, 2.5])).toEqual(types.float64);
    expect(inferTypeOfValues(['a'])).toEqual(types.utf8);
    expect(inferTypeOfValues([new Date(0)])).toEqual(types.timestamp('ms'));
  });

  it('defaults to utf8 when every value is null or there are none', () => {
    expect(inferTypeOfValues([])).toEqual(types.utf8);
    expect(inferTypeOfValues([null, undefined])).toEqual(types.utf8);
  });

  it('infers list element types across all rows', () => {
    expect(inferTypeOfValues([[1, 2], null])).toEqual(types.list(types.int64));
    expect(inferTypeOfValues([[1], [2.5]])).toEqual(types.list(types.float64));
    expect(inferTypeOfValues([[], [1]])).toEqual(types.list(types.int64));
    expect(inferTypeOfValues([[['a']]])).toEqual(types.list(types.list(types.utf8)));
    const values: JsValue[] = [[1], [2.5], []];
    expect(rows(vectorFromValues(inferTypeOfValues(values), values))).toEqual([[1], [2.5], []]);
  });

  it('rejects mixed types and uninferable values', () => {
    expect(codeOf(() => inferTypeOfValues([1, 'a']))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => inferTypeOfValues([true, new Date(0)]))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => inferTypeOfValues([[1], ['a']]))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => inferTypeOfValues([{ a: 1 } as unknown as JsValue]))).toBe('INVALID_ARGUMENT');
  });
});
