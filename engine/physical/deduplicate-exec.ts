import type { ColumnarBatch, ColumnVector } from '../../common/column-vector.js';
import { gatherBatch } from '../../common/columnar-batch.js';
import type { Field, Schema } from '../../common/schema.js';
import { resolveFieldIndex } from '../../common/schema.js';
import { GroupTable } from '../hash/group-table.js';
import type { ExecContext, OperatorMetrics, PhysicalOperator } from './physical-operator.js';
import { newMetrics } from './physical-operator.js';

/**
 * Keeps the first row seen for each distinct value of `keys` (all columns when `keys`
 * lists them all, as `distinct()`); nulls equal nulls. Streaming: each input batch yields
 * its rows with keys not seen before, as soon as it arrives; the seen keys stay in a
 * {@link GroupTable} until the operator finishes.
 */
export class DeduplicateExec implements PhysicalOperator {
  readonly name = 'DeduplicateExec';
  readonly metrics: OperatorMetrics = newMetrics();
  readonly children: readonly PhysicalOperator[];
  readonly schema: Schema;
  private readonly keyIndices: readonly number[];

  constructor(
    child: PhysicalOperator,
    private readonly keys: readonly string[],
  ) {
    this.children = [child];
    this.schema = child.schema;
    this.keyIndices = keys.map((k) => resolveFieldIndex(child.schema, k, null));
  }

  describe(): string {
    return `keys=[${this.keys.join(', ')}]`;
  }

  async *execute(ctx: ExecContext): AsyncGenerator<ColumnarBatch> {
    const table = new GroupTable(this.keyIndices.map((i) => (this.schema.fields[i] as Field).type));
    for await (const b of (this.children[0] as PhysicalOperator).execute(ctx)) {
      const t0 = performance.now();
      let next = table.size;
      const ids = table.insert(
        this.keyIndices.map((i) => b.columns[i] as ColumnVector),
        b.numRows,
      );
      const keep = new Int32Array(table.size - next);
      // Ids are handed out in first-seen order, so a row is new exactly when its id is the next unseen one.
      for (let i = 0, k = 0; i < b.numRows; i++) {
        if (ids[i] === next) {
          keep[k++] = i;
          next++;
        }
      }
      const out = keep.length === b.numRows ? b : keep.length === 0 ? null : gatherBatch(b, keep);
      this.metrics.extra.keys = table.size;
      this.metrics.extra.memoryBytes = table.memoryBytes();
      this.metrics.elapsedMs += performance.now() - t0;
      if (out === null) continue;
      this.metrics.outputRows += out.numRows;
      this.metrics.outputBatches++;
      yield out;
    }
  }
}
