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

function keyRows(t: GroupTable): JsValue[][] {
  const cols = t.keyVectors().map(values);
  return Array.from({ length: t.size }, (_, g) => cols.map((c) => c[g] as JsValue));
}

describe('GroupTable composite keys', () => {
  it('keeps pair ids stable when the key ranges outgrow the direct grid', () => {
    const t = new GroupTable([types.int64, types.int32]);
    const n = 3000;
    // 3000 distinct values in each column: the grid would need 4096 x 4096 cells, so it switches to hashing.
    const a = vectorFromValues(
      types.int64,
      Array.from({ length: n }, (_, i) => BigInt(i) * 60000n),
    );
    const b = vectorFromValues(
      types.int32,
      Array.from({ length: n }, (_, i) => (i * 7) % n),
    );
    const small = t.insert([vectorFromValues(types.int64, [0n, 60000n, 0n]), vectorFromValues(types.int32, [0, 7, 0])], 3);
    expect(Array.from(small)).toEqual([0, 1, 0]);
    const ids = t.insert([a, b], n);
    expect(t.size).toBe(n);
    expect(Array.from(ids.subarray(0, 3))).toEqual([0, 1, 2]);
    expect(Array.from(t.lookup([a, b], n))).toEqual(Array.from(ids));
    expect(keyRows(t)[2999]).toEqual([2999n * 60000n, (2999 * 7) % n]);
  });

  it('looks up unseen values in either column as absent, and nulls as their own key', () => {
    const t = new GroupTable([types.utf8, types.float64]);
    t.insert([vectorFromValues(types.utf8, ['x', null, 'y', 'x']), vectorFromValues(types.float64, [1, 1, null, -0])], 4);
    expect(keyRows(t)).toEqual([
      ['x', 1],
      [null, 1],
      ['y', null],
      ['x', 0],
    ]);
    const probe = t.lookup([vectorFromValues(types.utf8, ['x', 'z', null, 'y', 'x', 'y']), vectorFromValues(types.float64, [0, 1, 1, null, 2, 1])], 6);
    expect(Array.from(probe)).toEqual([3, -1, 1, 2, -1, -1]);
    expect(t.size).toBe(4);
  });

  it('groups three to six keys, and more through the general path, in first-seen order', () => {
    for (const width of [3, 6, 7]) {
      const keyTypes: DataType[] = Array.from({ length: width }, (_, c) => (c % 2 === 0 ? types.int32 : types.utf8));
      const t = new GroupTable(keyTypes);
      const rowsOf = (k: number): JsValue[] => keyTypes.map((ty, c) => (ty.kind === 'int32' ? (k + c) % 3 : `s${k % 2}`));
      const input = [0, 1, 0, 2, 5, 1].map(rowsOf);
      const cols = keyTypes.map((ty, c) =>
        vectorFromValues(
          ty,
          input.map((r) => r[c] as JsValue),
        ),
      );
      expect(Array.from(t.insert(cols, input.length))).toEqual([0, 1, 0, 2, 3, 1]);
      expect(keyRows(t)).toEqual([rowsOf(0), rowsOf(1), rowsOf(2), rowsOf(5)]);
    }
  });
});
