import type { ColumnarBatch } from '../../common/column-vector.js';
import { concatBatches, gatherBatch } from '../../common/columnar-batch.js';
import type { Schema } from '../../common/schema.js';
import type { SortOrder } from '../../dataframe/expr/expr.js';
import { exprToString } from '../../dataframe/expr/expr-to-string.js';
import { sortIndicesOf } from '../sort/sort-batch.js';
import type { ExecContext, OperatorMetrics, PhysicalOperator } from './physical-operator.js';
import { newMetrics } from './physical-operator.js';

/**
 * Sorts its input by `orders` (stable: rows with equal keys keep their input order).
 * Blocking: consumes the whole input, evaluates each key once, computes one permutation
 * with the radix sort kernel (engine/sort), then yields the rows gathered in that order
 * in batches of `ctx.batchSize`.
 */
export class SortExec implements PhysicalOperator {
  readonly name = 'SortExec';
  readonly metrics: OperatorMetrics = newMetrics();
  readonly children: readonly PhysicalOperator[];
  readonly schema: Schema;
  private readonly orders: readonly SortOrder[];

  constructor(child: PhysicalOperator, orders: readonly SortOrder[]) {
    this.children = [child];
    this.schema = child.schema;
    this.orders = orders;
  }

  describe(): string {
    return this.orders.map((o) => exprToString(o)).join(', ');
  }

  async *execute(ctx: ExecContext): AsyncGenerator<ColumnarBatch> {
    const batches: ColumnarBatch[] = [];
    for await (const b of (this.children[0] as PhysicalOperator).execute(ctx)) batches.push(b);
    const t0 = performance.now();
    const all = concatBatches(this.schema, batches);
    batches.length = 0;
    const perm = sortIndicesOf(all, this.orders);
    this.metrics.elapsedMs += performance.now() - t0;
    for (let start = 0; start < all.numRows; start += ctx.batchSize) {
      const t1 = performance.now();
      const out = gatherBatch(all, perm.subarray(start, Math.min(all.numRows, start + ctx.batchSize)));
      this.metrics.elapsedMs += performance.now() - t1;
      this.metrics.outputRows += out.numRows;
      this.metrics.outputBatches++;
      yield out;
    }
  }
}
