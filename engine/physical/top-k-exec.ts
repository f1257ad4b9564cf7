import type { ColumnarBatch } from '../../common/column-vector.js';
import { concatBatches, gatherBatch, sliceBatch } from '../../common/columnar-batch.js';
import type { Schema } from '../../common/schema.js';
import type { SortOrder } from '../../dataframe/expr/expr.js';
import { exprToString } from '../../dataframe/expr/expr-to-string.js';
import { sortIndicesOf } from '../sort/sort-batch.js';
import type { ExecContext, OperatorMetrics, PhysicalOperator } from './physical-operator.js';
import { newMetrics } from './physical-operator.js';

/**
 * The first `n` rows of the input sorted by `orders`: the result of a SortExec under a
 * LimitExec, without sorting the whole input. Keeps at most `n` candidate rows (sorted);
 * input is buffered until it holds at least max(n, batchSize) new rows, then candidates and
 * buffer are sorted together and cut back to `n`. Since candidates always precede later
 * rows and the sort is stable, ties resolve exactly as in a full stable sort. Memory stays
 * O(n + batchSize); time is O(rows) radix work. Blocking: yields after the input ends.
 */
export class TopKExec implements PhysicalOperator {
  readonly name = 'TopKExec';
  readonly metrics: OperatorMetrics = newMetrics();
  readonly children: readonly PhysicalOperator[];
  readonly schema: Schema;
  private readonly orders: readonly SortOrder[];
  private readonly n: number;

  constructor(child: PhysicalOperator, orders: readonly SortOrder[], n: number) {
    this.children = [child];
    this.schema = child.schema;
    this.orders = orders;
    this.n = n;
  }

  describe(): string {
    return `${this.n} by ${this.orders.map((o) => exprToString(o)).join(', ')}`;
  }

  async *execute(ctx: ExecContext): AsyncGenerator<ColumnarBatch> {
    if (this.n <= 0) return;
    const threshold = Math.max(this.n, ctx.batchSize);
    let kept: ColumnarBatch | null = null;
    let pending: ColumnarBatch[] = [];
    let pendingRows = 0;
    for await (const b of (this.children[0] as PhysicalOperator).execute(ctx)) {
      if (b.numRows === 0) continue;
      pending.push(b);
      pendingRows += b.numRows;
      if (pendingRows >= threshold) {
        kept = this.compact(kept, pending);
        pending = [];
        pendingRows = 0;
      }
    }
    const result = this.compact(kept, pending);
    for (let start = 0; start < result.numRows; start += ctx.batchSize) {
      const out = sliceBatch(result, start, Math.min(result.numRows, start + ctx.batchSize));
      this.metrics.outputRows += out.numRows;
      this.metrics.outputBatches++;
      yield out;
    }
  }

  private compact(kept: ColumnarBatch | null, pending: readonly ColumnarBatch[]): ColumnarBatch {
    const t0 = performance.now();
    const all = concatBatches(this.schema, kept === null ? pending : [kept, ...pending]);
    const perm = sortIndicesOf(all, this.orders);
    const out = gatherBatch(all, perm.subarray(0, Math.min(this.n, all.numRows)));
    this.metrics.elapsedMs += performance.now() - t0;
    return out;
  }
}
