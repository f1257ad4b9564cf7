import { describe, expect, it } from 'vitest';
import { makeBatch } from '../../../../common/columnar-batch.js';
import { types } from '../../../../common/data-type.js';
import { field, schemaOf } from '../../../../common/schema.js';
import { vectorFromValues } from '../../../../common/vector-from-values.js';
import { MemoryStream } from '../../../../sources/memory/memory-stream.js';
import { planRows } from '../../../contract/local-query-executor.js';

const schema = schemaOf([field('k', types.utf8), field('v', types.int64)]);

describe('MemoryStream', () => {
  it('returns the row count as the offset and reads ranges across addData calls', async () => {
    const s = new MemoryStream(schema);
    expect(await s.initialOffset()).toBe(0);
    expect(
      s.addData([
        { k: 'a', v: 1n },
        { k: null, v: 2n },
      ]),
    ).toBe(2);
    expect(s.addData([])).toBe(2);
    expect(s.addData([['c', 3n]])).toBe(3);
    const batch = makeBatch(schema, [vectorFromValues(types.utf8, ['d', 'e']), vectorFromValues(types.int64, [4n, null])], 2);
    expect(s.addData(batch)).toBe(5);
    expect(await planRows(await s.getBatch(1, 4))).toEqual([
      [null, 2n],
      ['c', 3n],
      ['d', 4n],
    ]);
    expect(await planRows(await s.getBatch(4, 4))).toEqual([]);
    expect(await planRows(await s.getBatch(null, 5))).toHaveLength(5);
  });

  it('admits at most maxRows per batch, at least one', async () => {
    const s = new MemoryStream(schema);
    s.addData([
      { k: 'a', v: 1n },
      { k: 'b', v: 2n },
      { k: 'c', v: 3n },
    ]);
    expect(await s.latestOffset(0, { maxRows: 2 })).toBe(2);
    expect(await s.latestOffset(2, { maxRows: 2 })).toBe(3);
    expect(await s.latestOffset(0, { maxRows: 0 })).toBe(1);
    expect(await s.latestOffset(3, { maxRows: 2 })).toBe(3);
  });

  it('forgets committed rows and names the range it cannot return', async () => {
    const s = new MemoryStream(schema);
    s.addData([{ k: 'a', v: 1n }]);
    s.addData([{ k: 'b', v: 2n }]);
    await s.commit(1);
    expect(await planRows(await s.getBatch(1, 2))).toEqual([['b', 2n]]);
    await expect(s.getBatch(0, 2)).rejects.toThrow(/\(0, 2\]/);
    await expect(s.getBatch(1, 5)).rejects.toThrow(/cannot return rows/);
  });

  it('rejects batches of another schema and bad offsets', async () => {
    const s = new MemoryStream(schema);
    const other = schemaOf([field('k', types.utf8), field('v', types.float64)]);
    const bad = makeBatch(other, [vectorFromValues(types.utf8, ['x']), vectorFromValues(types.float64, [1.5])], 1);
    expect(() => s.addData(bad)).toThrow(expect.objectContaining({ code: 'TYPE_MISMATCH' }));
    await expect(s.getBatch('x', 1)).rejects.toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
