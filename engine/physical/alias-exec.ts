import type { ColumnarBatch } from '../../common/column-vector.js';
import { makeBatch } from '../../common/columnar-batch.js';
import type { Schema } from '../../common/schema.js';
import type { ExecContext, OperatorMetrics, PhysicalOperator } from './physical-operator.js';
import { newMetrics } from './physical-operator.js';

/** Passes batches through under a new schema (same columns, new qualifiers): the physical form of `df.alias()`. */
export class AliasExec implements PhysicalOperator {
  readonly name = 'AliasExec';
  readonly metrics: OperatorMetrics = newMetrics();
  readonly children: readonly PhysicalOperator[];
  readonly schema: Schema;
  private readonly alias: string;

  constructor(child: PhysicalOperator, schema: Schema, alias: string) {
    this.children = [child];
    this.schema = schema;
    this.alias = alias;
  }

  describe(): string {
    return this.alias;
  }

  async *execute(ctx: ExecContext): AsyncGenerator<ColumnarBatch> {
    for await (const b of (this.children[0] as PhysicalOperator).execute(ctx)) {
      this.metrics.outputRows += b.numRows;
      this.metrics.outputBatches++;
      yield makeBatch(this.schema, b.columns, b.numRows);
    }
  }
}
