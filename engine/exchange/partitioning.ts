import type { ColumnarBatch } from '../../common/column-vector.js';
import { concatBatches, gatherBatch, sliceBatch } from '../../common/columnar-batch.js';
import type { Expr, SortOrder } from '../../dataframe/expr/expr.js';
import { exprToString } from '../../dataframe/expr/expr-to-string.js';
import { compileExpr } from '../eval/compile-expr.js';
import { hashKeys } from '../hash/hash-keys.js';
import { finalizeHash } from '../hash/hash-mix.js';
import { sortIndicesOf } from '../sort/sort-batch.js';
import { shareBatch } from '../workers/shared-memory.js';

/**
 * How an exchange distributes rows over `n` partitions. Plain data (expressions, sort
 * orders and a shared batch of bounds), so it travels inside a stage task to any worker.
 *
 * - `hash`: a row goes to partition `pmod(hash(keys), n)`; equal keys (null equals null)
 *   always meet in one partition. The hash is re-mixed from the group hash, so a hash table
 *   built over one partition still spreads its keys over all of its slots.
 * - `range`: `bounds` holds `n - 1` rows of the sort keys, in sort order; a row goes to the
 *   number of bounds that sort at or before it, so partitions concatenated in order are
 *   globally sorted and equal keys meet in one partition.
 * - `roundRobin`: row `i` of a task's output goes to partition `i mod n` (`repartition(n)`).
 * - `single`: everything in partition 0.
 */
export type Partitioning =
  | { readonly kind: 'hash'; readonly keys: readonly Expr[]; readonly n: number }
  | { readonly kind: 'range'; readonly orders: readonly SortOrder[]; readonly bounds: ColumnarBatch; readonly n: number }
  | { readonly kind: 'roundRobin'; readonly n: number }
  | { readonly kind: 'single'; readonly n: 1 };

const PARTITION_SALT = 0x5bd1e995;

/** `explain()` text of a partitioning, in Spark's words: `hashpartitioning(k, 8)`. */
export function describePartitioning(p: Partitioning): string {
  switch (p.kind) {
    case 'hash':
      return `hashpartitioning(${p.keys.map((k) => exprToString(k)).join(', ')}, ${p.n})`;
    case 'range':
      return `rangepartitioning(${p.orders.map((o) => exprToString(o)).join(', ')}, ${p.n})`;
    case 'roundRobin':
      return `RoundRobinPartitioning(${p.n})`;
    case 'single':
      return 'SinglePartition';
  }
}

/** The hash partition of every row of `batch` (keys evaluated against the batch's schema). */
export function hashPartitionIds(batch: ColumnarBatch, keys: readonly Expr[], n: number): Int32Array {
  const vectors = keys.map((k) => compileExpr(k, batch.schema)(batch));
  const h = hashKeys(vectors, batch.numRows);
  const out = new Int32Array(batch.numRows);
  for (let i = 0; i < out.length; i++) out[i] = (finalizeHash((h[i] as number) ^ PARTITION_SALT) >>> 0) % n;
  return out;
}

/**
 * The range partition of every row of `batch`: the bounds are sorted together with the rows
 * (bounds first, and the sort is stable), so a row equal to a bound lands after it.
 */
function rangePartitionIds(batch: ColumnarBatch, orders: readonly SortOrder[], bounds: ColumnarBatch): Int32Array {
  const nb = bounds.numRows;
  const both = concatBatches(batch.schema, [{ schema: batch.schema, columns: bounds.columns, numRows: nb }, batch]);
  const perm = sortIndicesOf(both, orders);
  const out = new Int32Array(batch.numRows);
  let part = 0;
  for (let i = 0; i < perm.length; i++) {
    const r = perm[i] as number;
    if (r < nb) part++;
    else out[r - nb] = part;
  }
  return out;
}

/** The partition of every row of `batch` under `p`. */
export function partitionIds(batch: ColumnarBatch, p: Partitioning): Int32Array {
  switch (p.kind) {
    case 'hash':
      return hashPartitionIds(batch, p.keys, p.n);
    case 'range':
      return rangePartitionIds(batch, p.orders, p.bounds);
    case 'roundRobin': {
      const out = new Int32Array(batch.numRows);
      for (let i = 0; i < out.length; i++) out[i] = i % p.n;
      return out;
    }
    case 'single':
      return new Int32Array(batch.numRows);
  }
}

/**
 * Cuts one task's output into `p.n` batches on shared memory, one per partition (empty ones
 * included), each keeping the rows' input order. Shared memory lets the next stage's task
 * of any partition read them on any worker without a copy.
 */
export function splitByPartition(batches: readonly ColumnarBatch[], p: Partitioning, schema: ColumnarBatch['schema']): ColumnarBatch[] {
  const all = concatBatches(schema, batches);
  if (p.n === 1) return [shareBatch(all)];
  const ids = partitionIds(all, p);
  const counts = new Int32Array(p.n + 1);
  for (let i = 0; i < ids.length; i++) {
    const k = (ids[i] as number) + 1;
    counts[k] = (counts[k] as number) + 1;
  }
  for (let k = 0; k < p.n; k++) counts[k + 1] = (counts[k + 1] as number) + (counts[k] as number);
  const order = new Int32Array(ids.length);
  const fill = counts.slice(0, p.n);
  for (let i = 0; i < ids.length; i++) {
    const k = ids[i] as number;
    order[fill[k] as number] = i;
    fill[k] = (fill[k] as number) + 1;
  }
  const sorted = shareBatch(gatherBatch(all, order));
  const out: ColumnarBatch[] = [];
  for (let k = 0; k < p.n; k++) out.push(sliceBatch(sorted, counts[k] as number, counts[k + 1] as number));
  return out;
}
