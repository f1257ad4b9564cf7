import type { ColumnarBatch } from '../../common/column-vector.js';
import { makeBatch } from '../../common/columnar-batch.js';
import type { Schema } from '../../common/schema.js';
import type { ExecContext, OperatorMetrics, PhysicalOperator } from './physical-operator.js';
import { newMetrics } from './physical-operator.js';

/**
 * UNION ALL: the batches of each child in turn, columns matched by position and relabelled
 * with the union's schema. The planner guarantees the children already produce the output
 * types (casts are projections below). Streaming.
 */
export class UnionExec implements PhysicalOperator {
  readonly name = 'UnionExec';
  readonly metrics: OperatorMetrics = newMetrics();
  readonly children: readonly PhysicalOperator[];
  readonly schema: Schema;

  constructor(children: readonly PhysicalOperator[], schema: Schema) {
    this.children = children;
    this.schema = schema;
  }

  describe(): string {
    return `${this.children.length} inputs`;
  }

  async *execute(ctx: ExecContext): AsyncGenerator<ColumnarBatch> {
    for (const child of this.children) {
      for await (const b of child.execute(ctx)) {
        if (b.numRows === 0) continue;
        this.metrics.outputRows += b.numRows;
        this.metrics.outputBatches++;
        yield makeBatch(this.schema, b.columns, b.numRows);
      }
    }
  }
}
