import { addBatchCounter } from '../../common/batch-counters.js';
import type { ColumnarBatch } from '../../common/column-vector.js';
import type { Schema } from '../../common/schema.js';
import type { ConnectorScan } from '../../dataframe/plan/logical-plan.js';
import { connectorSplitReader } from '../../sources/connector-split-readers.js';
import type { ExecContext, OperatorMetrics, PhysicalOperator } from './physical-operator.js';
import { newMetrics } from './physical-operator.js';

/**
 * Reads a connector scan's splits one after another through the connector's split reader
 * (in a worker task the scan holds exactly one split). Counters the reader reports land in
 * `metrics.extra`.
 */
export class ConnectorScanExec implements PhysicalOperator {
  readonly name = 'ConnectorScanExec';
  readonly children: readonly PhysicalOperator[] = [];
  readonly metrics: OperatorMetrics = newMetrics();
  readonly schema: Schema;
  private readonly scan: ConnectorScan;

  constructor(scan: ConnectorScan) {
    this.scan = scan;
    this.schema = scan.schema;
  }

  describe(): string {
    return `${this.scan.description}, ${this.scan.splits.length} split(s)`;
  }

  async *execute(ctx: ExecContext): AsyncGenerator<ColumnarBatch> {
    const read = await connectorSplitReader(this.scan.connector);
    const addMetric = (name: string, n: number): void => {
      this.metrics.extra[name] = (this.metrics.extra[name] ?? 0) + n;
      addBatchCounter(name, n);
    };
    for (const split of this.scan.splits) {
      for await (const b of read(split, { schema: this.schema, batchSize: ctx.batchSize, addMetric })) {
        this.metrics.outputRows += b.numRows;
        this.metrics.outputBatches++;
        yield b;
      }
    }
  }
}
