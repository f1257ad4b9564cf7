import { describe, expect, it } from 'vitest';
import type { ColumnVector } from '../../../common/column-vector.js';
import { types } from '../../../common/data-type.js';
import { SluiceError } from '../../../common/errors.js';
import { concatVectors, decodeDictionary, sliceVector } from '../../../common/vector-concat.js';
import type { JsValue } from '../../../common/vector-from-values.js';
import { vectorFromValues } from '../../../common/vector-from-values.js';
import { valueAt } from '../../../common/vector-value-at.js';

function rows(v: ColumnVector): JsValue[] {
  return Array.from({ length: v.length }, (_, i) => valueAt(v, i));
}

function dict(dictionary: ColumnVector, indices: (number | null)[]): ColumnVector {
  const validity = indices.includes(null) ? Uint8Array.from(indices, (x) => (x === null ? 0 : 1)) : null;
  return { type: types.utf8, length: indices.length, validity, values: Int32Array.from(indices, (x) => x ?? 0), dictionary };
}

describe('sliceVector', () => {
  it('shares storage and keeps values, nulls and offsets', () => {
    const v = vectorFromValues(types.int32, [1, null, 3, 4]);
    const s = sliceVector(v, 1, 3);
    expect(rows(s)).toEqual([null, 3]);
    expect(s.values.buffer).toBe(v.values.buffer);
    const u = sliceVector(vectorFromValues(types.utf8, ['ab', 'c', 'de']), 1, 3);
    expect(Array.from(u.offsets as Int32Array)).toEqual([2, 3, 5]);
    expect(rows(u)).toEqual(['c', 'de']);
    expect(rows(sliceVector(vectorFromValues(types.list(types.int32), [[1], [2, 3], []]), 1, 3))).toEqual([[2, 3], []]);
    expect(sliceVector(vectorFromValues(types.null, [null, null]), 0, 1).length).toBe(1);
  });
});

describe('concatVectors', () => {
  it('returns the single part and rejects an empty list', () => {
    const v = vectorFromValues(types.int32, [1]);
    expect(concatVectors([v])).toBe(v);
    expect(() => concatVectors([])).toThrow(SluiceError);
  });

  it('concatenates fixed-width vectors, mixing validity', () => {
    const c = concatVectors([vectorFromValues(types.int64, [1n, 2n ** 60n]), vectorFromValues(types.int64, [null, -3n]), vectorFromValues(types.int64, [])]);
    expect(rows(c)).toEqual([1n, 2n ** 60n, null, -3n]);
    expect(c.validity).toEqual(Uint8Array.from([1, 1, 0, 1]));
    const noNulls = concatVectors([vectorFromValues(types.float64, [1]), vectorFromValues(types.float64, [2])]);
    expect(noNulls.validity).toBeNull();
    expect(rows(concatVectors([vectorFromValues(types.boolean, [true]), vectorFromValues(types.boolean, [null, false])]))).toEqual([true, null, false]);
  });

  it('concatenates slices of fixed-width vectors', () => {
    const a = sliceVector(vectorFromValues(types.int32, [1, null, 3, 4]), 1, 3);
    const b = sliceVector(vectorFromValues(types.int32, [5, 6, 7]), 2, 3);
    expect(rows(concatVectors([a, b]))).toEqual([null, 3, 7]);
  });

  it('concatenates utf8 whose offsets do not start at 0 after slicing', () => {
    const a = sliceVector(vectorFromValues(types.utf8, ['skip', 'é', null, 'xyz']), 1, 4);
    const b = sliceVector(vectorFromValues(types.utf8, ['aa', 'bb', 'cc']), 2, 3);
    const c = concatVectors([a, b, vectorFromValues(types.utf8, ['€'])]);
    expect(rows(c)).toEqual(['é', null, 'xyz', 'cc', '€']);
    expect(Array.from(c.offsets as Int32Array)).toEqual([0, 2, 2, 5, 7, 10]);
    expect((c.values as Uint8Array).length).toBe(10);
  });

  it('keeps a shared dictionary as indices', () => {
    const d = vectorFromValues(types.utf8, ['p', 'q']);
    const c = concatVectors([dict(d, [0, 1]), dict(d, [null, 1])]);
    expect(c.dictionary).toBe(d);
    expect(Array.from(c.values as Int32Array)).toEqual([0, 1, 0, 1]);
    expect(rows(c)).toEqual(['p', 'q', null, 'q']);
  });

  it('keeps a shared dictionary across slices', () => {
    const d = vectorFromValues(types.utf8, ['p', 'q']);
    const c = concatVectors([sliceVector(dict(d, [0, 1, 1]), 1, 3), sliceVector(dict(d, [0, 0]), 0, 1)]);
    expect(c.dictionary).toBe(d);
    expect(rows(c)).toEqual(['q', 'q', 'p']);
  });

  it('decodes different dictionaries and mixes with plain utf8', () => {
    const c = concatVectors([
      dict(vectorFromValues(types.utf8, ['a', 'b']), [1, null]),
      dict(vectorFromValues(types.utf8, ['ü']), [0]),
      vectorFromValues(types.utf8, ['z']),
    ]);
    expect(c.dictionary).toBeUndefined();
    expect(rows(c)).toEqual(['b', null, 'ü', 'z']);
  });

  it('concatenates lists, including sliced ones', () => {
    const a = sliceVector(vectorFromValues(types.list(types.int32), [[9], [1, 2], null]), 1, 3);
    const b = vectorFromValues(types.list(types.int32), [[], [3, null]]);
    const c = concatVectors([a, b]);
    expect(rows(c)).toEqual([[1, 2], null, [], [3, null]]);
    expect(Array.from(c.offsets as Int32Array)).toEqual([0, 2, 2, 2, 4]);
    expect(c.child?.length).toBe(4);
  });

  it('concatenates null vectors', () => {
    const c = concatVectors([vectorFromValues(types.null, [null]), vectorFromValues(types.null, [null, null])]);
    expect(c.length).toBe(3);
    expect(c.validity).toBeNull();
  });
});

describe('decodeDictionary', () => {
  it('turns indices into plain utf8 and passes other vectors through', () => {
    const v = decodeDictionary(dict(vectorFromValues(types.utf8, ['aa', 'b']), [1, null, 0]));
    expect(v.dictionary).toBeUndefined();
    expect(Array.from(v.offsets as Int32Array)).toEqual([0, 1, 1, 3]);
    expect(rows(v)).toEqual(['b', null, 'aa']);
    const plain = vectorFromValues(types.utf8, ['x']);
    expect(decodeDictionary(plain)).toBe(plain);
  });
});
