import { describe, expect, it } from 'vitest';
import type { ColumnarBatch } from '../../../common/column-vector.js';
import { concatBatches, emptyBatch, gatherBatch, makeBatch, sliceBatch } from '../../../common/columnar-batch.js';
import { types } from '../../../common/data-type.js';
import { field, schemaOf } from '../../../common/schema.js';
import type { JsValue } from '../../../common/vector-from-values.js';
import { vectorFromValues } from '../../../common/vector-from-values.js';
import { valueAt } from '../../../common/vector-value-at.js';

const schema = schemaOf([field('id', types.int64), field('name', types.utf8)]);

function batch(ids: (bigint | null)[], names: (string | null)[]): ColumnarBatch {
  return makeBatch(schema, [vectorFromValues(types.int64, ids), vectorFromValues(types.utf8, names)]);
}

function rowsOf(b: ColumnarBatch): JsValue[][] {
  return Array.from({ length: b.numRows }, (_, i) => b.columns.map((c) => valueAt(c, i)));
}

describe('columnar batches', () => {
  it('makeBatch takes numRows from the first column, or 0 without columns', () => {
    expect(batch([1n, 2n], ['a', 'b']).numRows).toBe(2);
    expect(makeBatch(schemaOf([]), []).numRows).toBe(0);
    expect(makeBatch(schemaOf([]), [], 5).numRows).toBe(5);
  });

  it('emptyBatch has one empty vector per field', () => {
    const e = emptyBatch(schema);
    expect(e.numRows).toBe(0);
    expect(e.columns.map((c) => [c.type, c.length])).toEqual([
      [types.int64, 0],
      [types.utf8, 0],
    ]);
  });

  it('gatherBatch reorders rows and makes -1 an all-null row', () => {
    const g = gatherBatch(batch([1n, 2n, null], ['a', null, 'c']), Int32Array.from([2, -1, 0]));
    expect(g.numRows).toBe(3);
    expect(rowsOf(g)).toEqual([
      [null, 'c'],
      [null, null],
      [1n, 'a'],
    ]);
  });

  it('sliceBatch takes a row range', () => {
    expect(rowsOf(sliceBatch(batch([1n, 2n, 3n], ['a', 'b', 'c']), 1, 3))).toEqual([
      [2n, 'b'],
      [3n, 'c'],
    ]);
  });

  it('concatBatches skips empty batches and joins the rest', () => {
    const c = concatBatches(schema, [batch([1n], ['a']), emptyBatch(schema), sliceBatch(batch([7n, 2n, null], ['x', 'é', null]), 1, 3)]);
    expect(c.numRows).toBe(3);
    expect(rowsOf(c)).toEqual([
      [1n, 'a'],
      [2n, 'é'],
      [null, null],
    ]);
  });

  it('concatBatches of nothing gives an empty batch of the schema', () => {
    const c = concatBatches(schema, []);
    expect(c.numRows).toBe(0);
    expect(c.columns.length).toBe(2);
    expect(concatBatches(schema, [emptyBatch(schema)]).numRows).toBe(0);
  });

  it('concatBatches keeps the row count of batches without columns', () => {
    const none = schemaOf([]);
    expect(concatBatches(none, [makeBatch(none, [], 4)]).numRows).toBe(4);
    expect(concatBatches(none, [makeBatch(none, [], 4), makeBatch(none, [], 2)]).numRows).toBe(6);
  });
});
