import { describe, expect, it } from 'vitest';
import type { ColumnVector } from '../../../../common/column-vector.js';
import type { DataType } from '../../../../common/data-type.js';
import { types } from '../../../../common/data-type.js';
import { valueAt } from '../../../../common/vector-value-at.js';
import type { JsValue } from '../../../../common/vector-from-values.js';
import { vectorFromValues } from '../../../../common/vector-from-values.js';
import { GroupTable } from '../../../../engine/hash/group-table.js';

function values(v: ColumnVector): JsValue[] {
  return Array.from({ length: v.length }, (_, i) => valueAt(v, i));
}

function dictVector(dict: string[], idx: (number | null)[]): ColumnVector {
  const validity = idx.some((x) => x === null) ? Uint8Array.from(idx, (x) => (x === null ? 0 : 1)) : null;
  return {
    type: types.utf8,
    length: idx.length,
    validity,
    values: Int32Array.from(idx, (x) => x ?? 0),
    dictionary: vectorFromValues(types.utf8, dict),
  };
}

describe('GroupTable single keys', () => {
  const cases: [DataType, JsValue[], JsValue[]][] = [
    [types.int32, [3, 1, 3, null, 1, 7, null], [3, 1, null, 7]],
    [types.int64, [5n, 2n ** 60n, 5n, null, 2n ** 60n + 1n], [5n, 2n ** 60n, null, 2n ** 60n + 1n]],
    [types.float64, [1.5, -0, 0, Number.NaN, null, Number.NaN, 1.5], [1.5, 0, Number.NaN, null]],
    [types.utf8, ['a', 'bb', 'a', null, '', 'bb', ''], ['a', 'bb', null, '']],
    [types.boolean, [true, false, null, true], [true, false, null]],
    [types.date, [10, 20, 10], [new Date(10 * 86400000), new Date(20 * 86400000)]],
  ];
  for (const [type, input, keys] of cases) {
    it(`groups ${type.kind} keys in first-seen order with nulls as a group`, () => {
      const t = new GroupTable([type]);
      const ids = t.insert([vectorFromValues(type, input)], input.length);
      expect(t.size).toBe(keys.length);
      expect(values(t.keyVectors()[0] as ColumnVector)).toEqual(keys);
      const again = t.insert([vectorFromValues(type, input)], input.length);
      expect(Array.from(again)).toEqual(Array.from(ids));
      expect(t.size).toBe(keys.length);
    });
  }

  it('assigns ids per row', () => {
    const t = new GroupTable([types.int32]);
    expect(Array.from(t.insert([vectorFromValues(types.int32, [3, 1, 3, null, 1, null])], 6))).toEqual([0, 1, 0, 2, 1, 2]);
  });

  it('looks up without inserting', () => {
    const t = new GroupTable([types.utf8]);
    t.insert([vectorFromValues(types.utf8, ['x', 'y'])], 2);
    expect(Array.from(t.lookup([vectorFromValues(types.utf8, ['y', 'z', null, 'x'])], 4))).toEqual([1, -1, -1, 0]);
    expect(t.size).toBe(2);
    t.insert([vectorFromValues(types.utf8, [null])], 1);
    expect(Array.from(t.lookup([vectorFromValues(types.utf8, [null])], 1))).toEqual([2]);
  });

  it('tells apart strings that differ only in length, trailing NULs or after byte 8', () => {
    const keys = ['a', 'a\u0000', 'abcdefgh', 'abcdefghi', 'abcdefghj', '', '\u0000', 'abcd', 'abcd\u0000', 'ünïcødé-long-string'];
    const t = new GroupTable([types.utf8]);
    const ids = t.insert([vectorFromValues(types.utf8, [...keys, ...keys])], keys.length * 2);
    expect(Array.from(ids)).toEqual([...keys.keys(), ...keys.keys()]);
    expect(values(t.keyVectors()[0] as ColumnVector)).toEqual(keys);
    const dict = dictVector([...keys].reverse(), [0, 9, 5]);
    expect(Array.from(t.lookup([dict], 3))).toEqual([9, 0, 4]);
  });

  it('handles an empty batch', () => {
    const t = new GroupTable([types.int64]);
    expect(t.insert([vectorFromValues(types.int64, [])], 0).length).toBe(0);
    expect(t.size).toBe(0);
    expect(values(t.keyVectors()[0] as ColumnVector)).toEqual([]);
  });
});

describe('GroupTable growth', () => {
  for (const type of [types.int32, types.int64, types.utf8, types.float64]) {
    it(`keeps ${type.kind} ids stable past several resizes`, () => {
      const t = new GroupTable([type]);
      const n = 5000;
      const gen = (i: number): JsValue => {
        if (type.kind === 'utf8') return `key-${i}`;
        if (type.kind === 'int64') return BigInt(i) * 1000003n;
        return type.kind === 'int32' ? i * 7 : i * 1.25;
      };
      const raw = Array.from({ length: n }, (_, i) => gen(i));
      const vec = vectorFromValues(type, raw);
      const ids = t.insert([vec], n);
      expect(Array.from(ids)).toEqual(Array.from({ length: n }, (_, i) => i));
      expect(t.size).toBe(n);
      const back = t.lookup([vec], n);
      expect(Array.from(back)).toEqual(Array.from(ids));
      const kv = t.keyVectors()[0] as ColumnVector;
      expect(valueAt(kv, 4999)).toEqual(gen(4999));
      expect(t.memoryBytes()).toBeGreaterThan(n * 4);
    });
  }

  it('grows the general path too', () => {
    const t = new GroupTable([types.int32, types.utf8]);
    const n = 3000;
    const a = vectorFromValues(
      types.int32,
      Array.from({ length: n }, (_, i) => i % 50),
    );
    const b = vectorFromValues(
      types.utf8,
      Array.from({ length: n }, (_, i) => `s${Math.floor(i / 50)}`),
    );
    const ids = t.insert([a, b], n);
    expect(t.size).toBe(n);
    expect(Array.from(t.lookup([a, b], n))).toEqual(Array.from(ids));
  });
});

describe('GroupTable multi-key', () => {
  it('treats nulls as equal within each column', () => {
    const t = new GroupTable([types.utf8, types.int64, types.float64]);
    const a = vectorFromValues(types.utf8, ['x', 'x', null, null, 'x', null]);
    const b = vectorFromValues(types.int64, [1n, null, 1n, 1n, 1n, null]);
    const c = vectorFromValues(types.float64, [0, 0, null, null, -0, 2]);
    expect(Array.from(t.insert([a, b, c], 6))).toEqual([0, 1, 2, 2, 0, 3]);
    const kv = t.keyVectors();
    expect(values(kv[0] as ColumnVector)).toEqual(['x', 'x', null, null]);
    expect(values(kv[1] as ColumnVector)).toEqual([1n, null, 1n, null]);
    expect(values(kv[2] as ColumnVector)).toEqual([0, 0, null, 2]);
  });

  it('compares long multi-column keys beyond the words kept in the slot', () => {
    const t = new GroupTable([types.utf8, types.int64]);
    const long = 'a-fairly-long-key-that-spans-many-words-';
    const a = vectorFromValues(types.utf8, [`${long}1`, `${long}2`, `${long}1`, `${long}1`, null, '']);
    const b = vectorFromValues(types.int64, [1n, 1n, 1n, 2n, null, null]);
    expect(Array.from(t.insert([a, b], 6))).toEqual([0, 1, 0, 2, 3, 4]);
    expect(Array.from(t.lookup([vectorFromValues(types.utf8, [`${long}2`, `${long}3`]), vectorFromValues(types.int64, [1n, 1n])], 2))).toEqual([1, -1]);
    expect(values(t.keyVectors()[0] as ColumnVector)).toEqual([`${long}1`, `${long}2`, `${long}1`, null, '']);
  });

  it('supports a null-typed key and booleans', () => {
    const t = new GroupTable([types.null, types.boolean]);
    const ids = t.insert([vectorFromValues(types.null, [null, null, null]), vectorFromValues(types.boolean, [true, null, true])], 3);
    expect(Array.from(ids)).toEqual([0, 1, 0]);
    expect(values(t.keyVectors()[1] as ColumnVector)).toEqual([true, null]);
  });

  it('with no key columns puts every row in one group', () => {
    const t = new GroupTable([]);
    expect(Array.from(t.insert([], 3))).toEqual([0, 0, 0]);
    expect(t.size).toBe(1);
  });

  it('rejects list keys', () => {
    expect(() => new GroupTable([types.list(types.int32)])).toThrow(/Cannot group/);
  });
});

describe('GroupTable dictionary-encoded keys', () => {
  it('matches plain keys, alone and among other keys', () => {
    const dict = ['zz', 'a', 'unused', 'b'];
    const dv = dictVector(dict, [1, 3, null, 1, 0, 3]);
    const plain = vectorFromValues(types.utf8, ['a', 'b', null, 'a', 'zz', 'b']);
    const t = new GroupTable([types.utf8]);
    const d1 = t.insert([dv], 6);
    expect(t.size).toBe(4);
    expect(values(t.keyVectors()[0] as ColumnVector)).toEqual(['a', 'b', null, 'zz']);
    expect(Array.from(t.insert([plain], 6))).toEqual(Array.from(d1));
    expect(Array.from(t.insert([dv], 6))).toEqual(Array.from(d1));
    expect(Array.from(t.lookup([dictVector(['b', 'q'], [0, 1])], 2))).toEqual([1, -1]);

    const multi = new GroupTable([types.utf8, types.int32]);
    const n = vectorFromValues(types.int32, [1, 1, 1, 1, 1, 2]);
    const m1 = multi.insert([dv, n], 6);
    expect(Array.from(multi.insert([plain, n], 6))).toEqual(Array.from(m1));
    expect(multi.size).toBe(5);
  });
});
