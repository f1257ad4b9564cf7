import type { ColumnarBatch } from '../../common/column-vector.js';
import { sliceBatch } from '../../common/columnar-batch.js';
import type { Schema } from '../../common/schema.js';
import type { ExecContext, OperatorMetrics, PhysicalOperator } from './physical-operator.js';
import { newMetrics } from './physical-operator.js';

/**
 * The first `n` rows of its input, in input order. Streaming: once `n` rows are out it
 * stops pulling and closes the child's iterator (so scans below stop reading); with
 * `n = 0` it never starts the child.
 */
export class LimitExec implements PhysicalOperator {
  readonly name = 'LimitExec';
  readonly metrics: OperatorMetrics = newMetrics();
  readonly children: readonly PhysicalOperator[];
  readonly schema: Schema;
  private readonly n: number;

  constructor(child: PhysicalOperator, n: number) {
    this.children = [child];
    this.schema = child.schema;
    this.n = n;
  }

  describe(): string {
    return String(this.n);
  }

  async *execute(ctx: ExecContext): AsyncGenerator<ColumnarBatch> {
    let remaining = this.n;
    if (remaining <= 0) return;
    for await (const b of (this.children[0] as PhysicalOperator).execute(ctx)) {
      if (b.numRows === 0) continue;
      const out = b.numRows <= remaining ? b : sliceBatch(b, 0, remaining);
      remaining -= out.numRows;
      this.metrics.outputRows += out.numRows;
      this.metrics.outputBatches++;
      yield out;
      // Leaving the loop calls return() on the child's iterator, which releases it.
      if (remaining === 0) break;
    }
  }
}
