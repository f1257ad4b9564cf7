import type { ColumnarBatch } from '../../common/column-vector.js';
import { concatBatches, gatherBatch } from '../../common/columnar-batch.js';
import type { Schema } from '../../common/schema.js';
import type { SortOrder } from '../../dataframe/expr/expr.js';
import { sortIndicesOf } from '../sort/sort-batch.js';
import { shareBatch } from '../workers/shared-memory.js';

/** Sample rows taken per partition to place the bounds of a range partitioning. */
export const SAMPLE_ROWS_PER_PARTITION = 100;

/**
 * The `n - 1` bounds of a range partitioning of `blocks` (Spark's RangePartitioner): an
 * evenly spaced, deterministic sample of the rows (about {@link SAMPLE_ROWS_PER_PARTITION}
 * per partition), sorted by `orders`, cut at `n - 1` even quantiles. Whole rows on shared
 * memory, so every partitioning task can sort them together with its own rows.
 */
export function rangeBounds(schema: Schema, blocks: readonly ColumnarBatch[], orders: readonly SortOrder[], n: number): ColumnarBatch {
  const total = blocks.reduce((s, b) => s + b.numRows, 0);
  const want = Math.min(total, SAMPLE_ROWS_PER_PARTITION * n);
  const picked: ColumnarBatch[] = [];
  if (want > 0) {
    const step = total / want;
    let next = 0;
    let base = 0;
    for (const b of blocks) {
      const idx: number[] = [];
      while (next < want && Math.floor(next * step) < base + b.numRows) {
        idx.push(Math.floor(next * step) - base);
        next++;
      }
      if (idx.length > 0) picked.push(gatherBatch(b, Int32Array.from(idx)));
      base += b.numRows;
    }
  }
  const sample = concatBatches(schema, picked);
  const perm = sortIndicesOf(sample, orders);
  const bounds = new Int32Array(sample.numRows === 0 ? 0 : n - 1);
  for (let i = 0; i < bounds.length; i++) bounds[i] = perm[Math.min(sample.numRows - 1, Math.floor(((i + 1) * sample.numRows) / n))] as number;
  return shareBatch(gatherBatch(sample, bounds));
}
