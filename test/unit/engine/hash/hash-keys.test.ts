import { describe, expect, it } from 'vitest';
import type { ColumnVector } from '../../../../common/column-vector.js';
import { types } from '../../../../common/data-type.js';
import { vectorFromValues } from '../../../../common/vector-from-values.js';
import { hashKeys } from '../../../../engine/hash/hash-keys.js';

describe('hashKeys', () => {
  it('hashes equal keys equal, nulls included', () => {
    const a = vectorFromValues(types.utf8, ['x', 'y', 'x', null, null]);
    const b = vectorFromValues(types.int64, [1n, 2n, 1n, null, null]);
    const h = hashKeys([a, b], 5);
    expect(h[0]).toBe(h[2]);
    expect(h[3]).toBe(h[4]);
    expect(new Set(Array.from(h)).size).toBe(3);
  });

  it('hashes dictionary-encoded strings like plain ones', () => {
    const dict = vectorFromValues(types.utf8, ['b', 'a']);
    const dv: ColumnVector = { type: types.utf8, length: 3, validity: Uint8Array.of(1, 1, 0), values: Int32Array.of(1, 0, 0), dictionary: dict };
    const plain = vectorFromValues(types.utf8, ['a', 'b', null]);
    expect(Array.from(hashKeys([dv], 3))).toEqual(Array.from(hashKeys([plain], 3)));
  });

  it('treats -0 as 0 and NaN as NaN, and hashes lists by content', () => {
    const f = hashKeys([vectorFromValues(types.float64, [0, -0, Number.NaN, -Number.NaN])], 4);
    expect(f[0]).toBe(f[1]);
    expect(f[2]).toBe(f[3]);
    const l = hashKeys([vectorFromValues(types.list(types.int32), [[1, 2], [2, 1], [1, 2], []])], 4);
    expect(l[0]).toBe(l[2]);
    expect(l[0]).not.toBe(l[1]);
    expect(hashKeys([], 0).length).toBe(0);
  });

  it('spreads sequential integers', () => {
    const h = hashKeys(
      [
        vectorFromValues(
          types.int32,
          Array.from({ length: 1024 }, (_, i) => i),
        ),
      ],
      1024,
    );
    const buckets = new Set(Array.from(h, (x) => x & 1023));
    expect(buckets.size).toBeGreaterThan(550);
  });
});
