import type { ColumnarBatch } from '../../common/column-vector.js';
import type { SortOrder } from '../../dataframe/expr/expr.js';
import { compileExpr } from '../eval/compile-expr.js';
import { sortPermutation } from './sort-permutation.js';

/**
 * The stable permutation that sorts a batch by sort orders (each order's expression is
 * evaluated once over the whole batch): row `perm[k]` of `batch` is row k of the result.
 */
export function sortIndicesOf(batch: ColumnarBatch, orders: readonly SortOrder[]): Int32Array {
  const keys = orders.map((o) => compileExpr(o.child, batch.schema)(batch));
  return sortPermutation(keys, orders, batch.numRows);
}
