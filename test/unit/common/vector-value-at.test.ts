import { describe, expect, it } from 'vitest';
import type { ColumnVector } from '../../../common/column-vector.js';
import { types } from '../../../common/data-type.js';
import { vectorFromValues } from '../../../common/vector-from-values.js';
import { valueAt } from '../../../common/vector-value-at.js';

describe('valueAt', () => {
  it('returns JS values per type', () => {
    expect(valueAt(vectorFromValues(types.boolean, [false]), 0)).toBe(false);
    expect(valueAt(vectorFromValues(types.int32, [-7]), 0)).toBe(-7);
    expect(valueAt(vectorFromValues(types.float64, [0.25]), 0)).toBe(0.25);
    expect(valueAt(vectorFromValues(types.int64, [2n ** 60n]), 0)).toBe(2n ** 60n);
    expect(valueAt(vectorFromValues(types.utf8, ['ü']), 0)).toBe('ü');
    expect(valueAt(vectorFromValues(types.date, [1]), 0)).toEqual(new Date(86400000));
    expect(valueAt(vectorFromValues(types.list(types.utf8), [['a', null]]), 0)).toEqual(['a', null]);
  });

  it('returns null for null rows and null vectors, ignoring the value slot', () => {
    const v: ColumnVector = { type: types.int32, length: 2, validity: Uint8Array.from([0, 1]), values: Int32Array.from([99, 5]) };
    expect(valueAt(v, 0)).toBeNull();
    expect(valueAt(v, 1)).toBe(5);
    expect(valueAt(vectorFromValues(types.null, [null]), 0)).toBeNull();
  });

  it('truncates microsecond timestamps toward negative infinity to milliseconds', () => {
    const v = vectorFromValues(types.timestamp('us'), [1999n, -1n, -1000n, -1001n]);
    expect([0, 1, 2, 3].map((i) => (valueAt(v, i) as Date).getTime())).toEqual([1, -1, -1, -2]);
  });

  it('reads dictionary-encoded utf8 through the dictionary', () => {
    const v: ColumnVector = {
      type: types.utf8,
      length: 3,
      validity: Uint8Array.from([1, 0, 1]),
      values: Int32Array.from([1, 0, 0]),
      dictionary: vectorFromValues(types.utf8, ['x', 'yé']),
    };
    expect([0, 1, 2].map((i) => valueAt(v, i))).toEqual(['yé', null, 'x']);
  });
});
