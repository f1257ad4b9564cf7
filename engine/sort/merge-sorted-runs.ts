import type { ColumnarBatch } from '../../common/column-vector.js';
import { concatBatches, gatherBatch } from '../../common/columnar-batch.js';
import type { Schema } from '../../common/schema.js';
import type { SortOrder } from '../../dataframe/expr/expr.js';
import { sortIndicesOf } from './sort-batch.js';

/**
 * Combines per-partition sorted outputs into one sorted batch, e.g. the results of
 * SortExec run on each partition of a distributed sort. Rows with equal keys come in run
 * order, then in their order within the run, exactly as a stable sort of the runs'
 * concatenation. Implemented as that sort: the radix sort is linear in rows, so it costs
 * about what a k-way merge would, and it needs no per-row comparator calls.
 */
export function mergeSortedRuns(schema: Schema, runs: readonly ColumnarBatch[], orders: readonly SortOrder[]): ColumnarBatch {
  const all = concatBatches(schema, runs);
  if (all.numRows < 2 || runs.filter((r) => r.numRows > 0).length < 2) return all;
  return gatherBatch(all, sortIndicesOf(all, orders));
}
