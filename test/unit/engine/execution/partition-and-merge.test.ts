import { describe, expect, it } from 'vitest';
import type { ColumnarBatch } from '../../../../common/column-vector.js';
import { concatBatches, makeBatch } from '../../../../common/columnar-batch.js';
import { types } from '../../../../common/data-type.js';
import { field, schemaOf } from '../../../../common/schema.js';
import type { JsValue } from '../../../../common/vector-from-values.js';
import { vectorFromValues } from '../../../../common/vector-from-values.js';
import { valueAt } from '../../../../common/vector-value-at.js';
import type { AggCall, Expr } from '../../../../dataframe/expr/expr.js';
import { partitionRows } from '../../../../engine/execution/partition-rows.js';
import { HashAggregateExec } from '../../../../engine/physical/hash-aggregate-exec.js';
import { LocalScanExec } from '../../../../engine/physical/local-scan-exec.js';
import type { PhysicalOperator } from '../../../../engine/physical/physical-operator.js';

const col = (name: string): Expr => ({ kind: 'col', name, qualifier: null });
const calls: AggCall[] = [
  { kind: 'agg', fn: 'sum', args: [col('v')] },
  { kind: 'agg', fn: 'count', args: [] },
];
const schema = schemaOf([field('k', types.utf8), field('v', types.int64)]);

function batch(rows: [string | null, bigint | null][]): ColumnarBatch {
  return makeBatch(schema, [
    vectorFromValues(
      types.utf8,
      rows.map((r) => r[0]),
    ),
    vectorFromValues(
      types.int64,
      rows.map((r) => r[1]),
    ),
  ]);
}

async function run(op: PhysicalOperator): Promise<JsValue[][]> {
  const parts: ColumnarBatch[] = [];
  for await (const b of op.execute({ batchSize: 1024 })) parts.push(b);
  const all = concatBatches(op.schema, parts);
  const rows: JsValue[][] = [];
  for (let i = 0; i < all.numRows; i++) rows.push(all.columns.map((c) => valueAt(c, i)));
  return rows;
}

const partial = (b: ColumnarBatch): PhysicalOperator =>
  new HashAggregateExec(new LocalScanExec(schema, [b]), [col('k')], ['k'], calls, ['_agg0', '_agg1'], 'partial');

describe('HashAggregateExec partialMerge', () => {
  it('merges partial states into partial states that finish to the complete answer', async () => {
    const p1 = partial(
      batch([
        ['a', 1n],
        ['b', 2n],
        [null, 3n],
      ]),
    );
    const p2 = partial(
      batch([
        ['a', 10n],
        [null, null],
      ]),
    );
    const states = [...(await collectBatches(p1)), ...(await collectBatches(p2))];
    const merge = new HashAggregateExec(new LocalScanExec(p1.schema, states), [col('k')], ['k'], calls, ['_agg0', '_agg1'], 'partialMerge');
    expect(merge.schema.fields.map((f) => f.name)).toEqual(p1.schema.fields.map((f) => f.name));
    const merged = await collectBatches(merge);
    const final = new HashAggregateExec(new LocalScanExec(merge.schema, merged), [col('k')], ['k'], calls, ['_agg0', '_agg1'], 'final');
    expect(await run(final)).toEqual([
      ['a', 11n, 2n],
      ['b', 2n, 1n],
      [null, 3n, 2n],
    ]);
    expect(merge.describe()).toContain('partialMerge');
  });

  it('merges nothing into nothing', async () => {
    const p = partial(batch([]));
    const merge = new HashAggregateExec(new LocalScanExec(p.schema, []), [col('k')], ['k'], calls, ['_agg0', '_agg1'], 'partialMerge');
    expect(await run(merge)).toEqual([]);
  });
});

async function collectBatches(op: PhysicalOperator): Promise<ColumnarBatch[]> {
  const out: ColumnarBatch[] = [];
  for await (const b of op.execute({ batchSize: 1024 })) out.push(b);
  return out;
}

describe('partitionRows', () => {
  it('sends equal keys to the same partition, every row exactly once, in row order', () => {
    const b = batch([
      ['a', 1n],
      ['b', 2n],
      ['a', 3n],
      [null, 4n],
      ['c', 5n],
      [null, 6n],
    ]);
    const parts = partitionRows([b.columns[0] as never], b.numRows, 3);
    expect(parts.length).toBe(3);
    const all = parts.flatMap((p) => [...p]).sort();
    expect(all).toEqual([0, 1, 2, 3, 4, 5]);
    const where = (row: number): number => parts.findIndex((p) => p.includes(row));
    expect(where(0)).toBe(where(2));
    expect(where(3)).toBe(where(5));
    for (const p of parts) expect([...p]).toEqual([...p].sort((x, y) => x - y));
  });

  it('puts everything in partition 0 without keys, and handles no rows', () => {
    expect(partitionRows([], 3, 4).map((p) => [...p])).toEqual([[0, 1, 2], [], [], []]);
    expect(partitionRows([], 0, 2).map((p) => p.length)).toEqual([0, 0]);
  });
});
