import type { ColumnarBatch } from '../../common/column-vector.js';
import { gatherBatch } from '../../common/columnar-batch.js';
import type { Schema } from '../../common/schema.js';
import type { Expr } from '../../dataframe/expr/expr.js';
import { exprToString } from '../../dataframe/expr/expr-to-string.js';
import { compilePredicate } from '../eval/compile-predicate.js';
import type { ExecContext, OperatorMetrics, PhysicalOperator } from './physical-operator.js';
import { newMetrics } from './physical-operator.js';

/**
 * Keeps the rows where `condition` is true (false and null drop the row). The predicate is
 * compiled once; a batch whose rows all pass is forwarded as is, one where none pass is
 * skipped, otherwise the passing rows are gathered. Streaming.
 */
export class FilterExec implements PhysicalOperator {
  readonly name = 'FilterExec';
  readonly metrics: OperatorMetrics = newMetrics();
  readonly children: readonly PhysicalOperator[];
  readonly schema: Schema;
  private readonly condition: Expr;
  private readonly predicate: (batch: ColumnarBatch) => Int32Array;

  constructor(child: PhysicalOperator, condition: Expr) {
    this.children = [child];
    this.schema = child.schema;
    this.condition = condition;
    this.predicate = compilePredicate(condition, child.schema);
  }

  describe(): string {
    return exprToString(this.condition);
  }

  async *execute(ctx: ExecContext): AsyncGenerator<ColumnarBatch> {
    for await (const b of (this.children[0] as PhysicalOperator).execute(ctx)) {
      const t0 = performance.now();
      const idx = this.predicate(b);
      const out = idx.length === b.numRows ? b : idx.length === 0 ? null : gatherBatch(b, idx);
      this.metrics.elapsedMs += performance.now() - t0;
      if (out === null) continue;
      this.metrics.outputRows += out.numRows;
      this.metrics.outputBatches++;
      yield out;
    }
  }
}
