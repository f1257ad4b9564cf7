import type { ColumnarBatch } from '../../common/column-vector.js';
import { makeBatch, sliceBatch } from '../../common/columnar-batch.js';
import type { Schema } from '../../common/schema.js';
import type { ExecContext, OperatorMetrics, PhysicalOperator } from './physical-operator.js';
import { newMetrics } from './physical-operator.js';

/** Yields in-memory batches (re-sliced to the context's batch size) with the relation's schema. */
export class LocalScanExec implements PhysicalOperator {
  readonly name = 'LocalScanExec';
  readonly children: readonly PhysicalOperator[] = [];
  readonly metrics: OperatorMetrics = newMetrics();
  readonly schema: Schema;
  private readonly batches: readonly ColumnarBatch[];

  constructor(schema: Schema, batches: readonly ColumnarBatch[]) {
    this.schema = schema;
    this.batches = batches;
  }

  describe(): string {
    return `${this.batches.reduce((s, b) => s + b.numRows, 0)} rows`;
  }

  async *execute(ctx: ExecContext): AsyncGenerator<ColumnarBatch> {
    for (const b of this.batches) {
      for (let start = 0; start < b.numRows; start += ctx.batchSize) {
        const end = Math.min(b.numRows, start + ctx.batchSize);
        const part = start === 0 && end === b.numRows ? b : sliceBatch(b, start, end);
        this.metrics.outputRows += part.numRows;
        this.metrics.outputBatches++;
        yield makeBatch(this.schema, part.columns, part.numRows);
      }
    }
  }
}
