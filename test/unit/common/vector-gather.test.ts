import { describe, expect, it } from 'vitest';
import type { ColumnVector } from '../../../common/column-vector.js';
import { types } from '../../../common/data-type.js';
import { sliceVector } from '../../../common/vector-concat.js';
import type { JsValue } from '../../../common/vector-from-values.js';
import { vectorFromValues } from '../../../common/vector-from-values.js';
import { gatherVector, maskToIndices } from '../../../common/vector-gather.js';
import { valueAt } from '../../../common/vector-value-at.js';

function rows(v: ColumnVector): JsValue[] {
  return Array.from({ length: v.length }, (_, i) => valueAt(v, i));
}

const idx = (...xs: number[]): Int32Array => Int32Array.from(xs);

describe('gatherVector', () => {
  it('gathers int32 and float64 in index order, with repeats', () => {
    expect(rows(gatherVector(vectorFromValues(types.int32, [10, 20, 30]), idx(2, 0, 2)))).toEqual([30, 10, 30]);
    expect(rows(gatherVector(vectorFromValues(types.float64, [0.5, 1.5]), idx(1, 1)))).toEqual([1.5, 1.5]);
  });

  it('turns -1 indices into nulls and keeps source nulls', () => {
    const g = gatherVector(vectorFromValues(types.boolean, [true, null, false]), idx(-1, 1, 2, 0));
    expect(rows(g)).toEqual([null, null, false, true]);
    const noNulls = gatherVector(vectorFromValues(types.int32, [1, 2]), idx(1, 0));
    expect(noNulls.validity).toBeNull();
    const withMinus = gatherVector(vectorFromValues(types.int32, [1, 2]), idx(1, -1));
    expect(withMinus.validity).toEqual(Uint8Array.from([1, 0]));
  });

  it('gathers int64 exactly beyond 2^53, including negatives', () => {
    const a = 2n ** 53n + 1n;
    const b = -(2n ** 62n) - 3n;
    const v = vectorFromValues(types.int64, [a, b, -1n]);
    expect(rows(gatherVector(v, idx(2, 1, -1, 0)))).toEqual([-1n, b, null, a]);
  });

  it('gathers int64 from a sliced vector (non-zero byteOffset)', () => {
    const v = sliceVector(vectorFromValues(types.int64, [1n, 2n ** 60n, 3n]), 1, 3);
    expect(rows(gatherVector(v, idx(1, 0)))).toEqual([3n, 2n ** 60n]);
  });

  it('gathers timestamps and dates', () => {
    const ts = vectorFromValues(types.timestamp('ms'), [new Date(1000), new Date(2000)]);
    expect(rows(gatherVector(ts, idx(1, -1)))).toEqual([new Date(2000), null]);
    expect(rows(gatherVector(vectorFromValues(types.date, [3, 4]), idx(1)))).toEqual([new Date(4 * 86400000)]);
  });

  it('gathers utf8, including multi-byte and long strings, and from a slice', () => {
    const long = 'x'.repeat(40);
    const v = vectorFromValues(types.utf8, ['a', '日本', null, long, '']);
    const g = gatherVector(v, idx(3, 1, -1, 2, 4, 0));
    expect(rows(g)).toEqual([long, '日本', null, null, '', 'a']);
    const s = sliceVector(v, 1, 4);
    expect(rows(gatherVector(s, idx(2, 0)))).toEqual([long, '日本']);
  });

  it('keeps the dictionary of dictionary-encoded utf8', () => {
    const dictionary = vectorFromValues(types.utf8, ['red', 'green']);
    const v: ColumnVector = { type: types.utf8, length: 3, validity: null, values: Int32Array.from([1, 0, 1]), dictionary };
    const g = gatherVector(v, idx(0, -1, 1));
    expect(g.dictionary).toBe(dictionary);
    expect(rows(g)).toEqual(['green', null, 'red']);
  });

  it('gathers lists with their children', () => {
    const v = vectorFromValues(types.list(types.utf8), [['a', 'b'], null, [], ['c']]);
    const g = gatherVector(v, idx(3, -1, 0, 1, 2));
    expect(rows(g)).toEqual([['c'], null, ['a', 'b'], null, []]);
    expect(Array.from(g.offsets as Int32Array)).toEqual([0, 1, 1, 3, 3, 3]);
  });

  it('gathers null vectors and honours count', () => {
    const g = gatherVector(vectorFromValues(types.null, [null, null]), idx(0, 1, 1));
    expect(g.length).toBe(3);
    expect(rows(g)).toEqual([null, null, null]);
    expect(rows(gatherVector(vectorFromValues(types.int32, [5, 6]), idx(1, 0, 0), 2))).toEqual([6, 5]);
    expect(gatherVector(vectorFromValues(types.utf8, ['a']), idx()).length).toBe(0);
  });
});

describe('maskToIndices', () => {
  it('selects rows where the mask is 1 and valid', () => {
    const mask = Uint8Array.from([1, 0, 1, 1]);
    expect(Array.from(maskToIndices(mask, null, 4))).toEqual([0, 2, 3]);
    expect(Array.from(maskToIndices(mask, Uint8Array.from([1, 1, 0, 1]), 4))).toEqual([0, 3]);
    expect(Array.from(maskToIndices(mask, null, 2))).toEqual([0]);
  });
});
