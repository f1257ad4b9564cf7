import { describe, expect, it } from 'vitest';
import type { ColumnarBatch, ColumnVector } from '../../../../common/column-vector.js';
import { makeBatch } from '../../../../common/columnar-batch.js';
import { types } from '../../../../common/data-type.js';
import { field, schemaOf } from '../../../../common/schema.js';
import { valueAt } from '../../../../common/vector-value-at.js';
import type { JsValue } from '../../../../common/vector-from-values.js';
import { vectorFromValues } from '../../../../common/vector-from-values.js';
import { DeduplicateExec } from '../../../../engine/physical/deduplicate-exec.js';
import { LocalScanExec } from '../../../../engine/physical/local-scan-exec.js';

const SCHEMA = schemaOf([field('id', types.int64), field('name', types.utf8), field('x', types.float64)]);

function batch(rows: JsValue[][]): ColumnarBatch {
  return makeBatch(
    SCHEMA,
    SCHEMA.fields.map((f, c) =>
      vectorFromValues(
        f.type,
        rows.map((r) => r[c] as JsValue),
      ),
    ),
    rows.length,
  );
}

function rowsOf(b: ColumnarBatch): JsValue[][] {
  return Array.from({ length: b.numRows }, (_, i) => b.columns.map((c: ColumnVector) => valueAt(c, i)));
}

const B1 = [
  [1n, 'a', 1],
  [2n, 'b', 2],
  [1n, 'a', 3],
  [null, null, 4],
];
const B2 = [
  [2n, 'b', 5],
  [null, null, 6],
  [3n, null, 7],
];
const B3 = [[1n, 'a', 8]];

describe('DeduplicateExec', () => {
  it('keeps the first row per key and streams batch by batch', async () => {
    const op = new DeduplicateExec(new LocalScanExec(SCHEMA, [batch(B1), batch(B2), batch(B3)]), ['id', 'name']);
    const out: JsValue[][][] = [];
    for await (const b of op.execute({ batchSize: 100 })) out.push(rowsOf(b));
    expect(out).toEqual([
      [
        [1n, 'a', 1],
        [2n, 'b', 2],
        [null, null, 4],
      ],
      [[3n, null, 7]],
    ]);
    expect(op.schema).toBe(SCHEMA);
    expect(op.metrics.outputRows).toBe(4);
    expect(op.describe()).toBe('keys=[id, name]');
  });

  it('deduplicates on all columns and on one string column', async () => {
    const all = new DeduplicateExec(new LocalScanExec(SCHEMA, [batch([...B1, [1n, 'a', 1]])]), ['id', 'name', 'x']);
    const rows: JsValue[][] = [];
    for await (const b of all.execute({ batchSize: 100 })) rows.push(...rowsOf(b));
    expect(rows).toEqual(B1);
    const byName = new DeduplicateExec(new LocalScanExec(SCHEMA, [batch(B1), batch(B2)]), ['name']);
    const names: JsValue[] = [];
    for await (const b of byName.execute({ batchSize: 100 })) names.push(...rowsOf(b).map((r) => r[2] as JsValue));
    expect(names).toEqual([1, 2, 4]);
  });

  it('passes through empty input and rejects unknown key columns', async () => {
    const op = new DeduplicateExec(new LocalScanExec(SCHEMA, []), ['id']);
    let n = 0;
    for await (const _ of op.execute({ batchSize: 10 })) n++;
    expect(n).toBe(0);
    expect(() => new DeduplicateExec(new LocalScanExec(SCHEMA, []), ['nope'])).toThrow(/Unknown column 'nope'/);
  });
});
