import type { ColumnarBatch } from '../../common/column-vector.js';
import { isMainThread } from 'node:worker_threads';
import { SluiceError } from '../../common/errors.js';
import { countMalformed, reportMalformedRecords } from './malformed-warning.js';
import type { Schema } from '../../common/schema.js';
import type { FileScan } from '../../dataframe/plan/logical-plan.js';
import type { FileSplit } from '../../sources/file/file-split.js';
import { planFileSplits } from '../../sources/file/file-split.js';
import { readSplit } from '../../sources/file/read-split.js';
import type { ExecContext, OperatorMetrics, PhysicalOperator } from './physical-operator.js';
import { newMetrics } from './physical-operator.js';

/**
 * Reads a file scan: the given splits, or (when none are given) every split of the scan,
 * one after another, streaming row group by row group. Malformed CSV/JSON records are counted
 * in `metrics.extra.malformedRowsNulled` (PERMISSIVE) and `malformedRowsDropped`
 * (DROPMALFORMED), and reported as a process warning (see {@link reportMalformedRecords}).
 * A failed read throws the reader's error (naming the file) with this operator's name in front.
 */
export class FileScanExec implements PhysicalOperator {
  readonly name = 'FileScanExec';
  readonly children: readonly PhysicalOperator[] = [];
  readonly metrics: OperatorMetrics = newMetrics();
  readonly schema: Schema;
  private readonly scan: FileScan;
  private readonly splits: readonly FileSplit[] | null;

  constructor(scan: FileScan, splits: readonly FileSplit[] | null) {
    this.scan = scan;
    this.splits = splits;
    this.schema = scan.schema;
  }

  describe(): string {
    return `${this.scan.format} [${this.schema.fields.map((f) => f.name).join(',')}] ${this.splits ? `${this.splits.length} split(s)` : `${this.scan.files.length} file(s)`}`;
  }

  async *execute(ctx: ExecContext): AsyncGenerator<ColumnarBatch> {
    let splits = this.splits;
    if (splits === null) {
      const planned = await planFileSplits(this.scan, 1);
      splits = planned.splits;
      this.metrics.extra.rowGroupsSkipped = (this.metrics.extra.rowGroupsSkipped ?? 0) + planned.rowGroupsSkipped;
    }
    const onMalformed = (n: number, kind: 'nulled' | 'dropped'): void => countMalformed(this.metrics, n, kind);
    try {
      for (const split of splits) {
        for await (const b of readSplit(this.scan, split, { batchSize: ctx.batchSize, onMalformed })) {
          this.metrics.outputRows += b.numRows;
          this.metrics.outputBatches++;
          yield b;
        }
      }
    } catch (e) {
      throw this.failed(e);
    }
    // In a worker the stage on the driver reports the summed counts.
    if (isMainThread) reportMalformedRecords(this.scan, this.metrics);
  }

  /** The error of a failed read, with this operator named in front of the reader's message (which names the file). */
  private failed(e: unknown): SluiceError {
    const cause = SluiceError.fromPlain(e);
    return new SluiceError(cause.code, `${this.name} (${this.scan.format} scan) failed: ${cause.message}`, {
      domain: cause.domain,
      retryable: cause.retryable,
      cause,
    });
  }
}
