import type { ColumnarBatch } from '../../common/column-vector.js';
import { sliceBatch } from '../../common/columnar-batch.js';
import { SluiceError } from '../../common/errors.js';
import type { Schema } from '../../common/schema.js';
import { buildLocalRelation } from '../../dataframe/plan/builders/build-misc.js';
import type { LogicalPlan } from '../../dataframe/plan/logical-plan.js';
import type { Offset, ReadLimit, Source } from '../source.js';
import { countOffset } from '../rate/count-offset.js';
import type { MemoryRows } from './memory-rows.js';
import { memoryRowsToBatch } from './memory-rows.js';

interface Chunk {
  /** Offset of the chunk's first row. */
  readonly first: number;
  readonly batch: ColumnarBatch;
}

/**
 * An in-memory source for tests and examples (Spark's MemoryStream): rows are appended with
 * `addData` and read by a streaming query.
 *
 * The offset is the total number of rows added so far (a number, initially 0); `addData`
 * returns it. The range `(a, b]` is rows `a .. b-1` in the order they were added, so
 * `maxRows` read limits split an addData across batches. Data lives in memory for the
 * process lifetime: a "restart" in a test reuses the same MemoryStream instance and reads
 * the same rows. `commit(end)` forgets rows before `end`; asking for them afterwards throws
 * INVALID_ARGUMENT naming the range. Not replayable across processes.
 *
 * AvailableNow: `prepareForTriggerAvailableNow()` caps `latestOffset` at the current
 * offset, so rows added during the run wait for the next run. As one instance may serve
 * several runs (and then runs with other triggers), the cap is lifted by the call of
 * `latestOffset` that finds it reached, which is the call that ends the availableNow run.
 */
export class MemoryStream implements Source {
  readonly schema: Schema;
  readonly description: string;
  private chunks: Chunk[] = [];
  private total = 0;
  private forgottenBefore = 0;
  /** The end fixed by prepareForTriggerAvailableNow; null when no availableNow run is in progress. */
  private availableNowEnd: number | null = null;

  /**
   * @param schema - the rows' schema
   * @param name - shown in progress reports
   */
  constructor(schema: Schema, name = 'MemoryStream') {
    this.schema = schema;
    this.description = name;
  }

  /** Appends rows (objects, arrays in schema order, or a batch of the schema) and returns the new offset. */
  addData(rows: MemoryRows): number {
    const batch = memoryRowsToBatch(this.schema, rows);
    if (batch.numRows > 0) this.chunks.push({ first: this.total, batch });
    this.total += batch.numRows;
    return this.total;
  }

  /** The offset after the last row added. */
  get currentOffset(): number {
    return this.total;
  }

  async initialOffset(): Promise<Offset> {
    return 0;
  }

  async latestOffset(start: Offset, limit: ReadLimit): Promise<Offset> {
    const from = countOffset(start, 0, this.description);
    const end = Math.min(this.total, this.availableNowEnd ?? Number.POSITIVE_INFINITY);
    if (from >= end) {
      if (this.availableNowEnd !== null && from >= this.availableNowEnd) this.availableNowEnd = null;
      return from;
    }
    const max = limit.maxRows === undefined ? Number.POSITIVE_INFINITY : Math.max(1, limit.maxRows);
    return Math.min(end, from + max);
  }

  async prepareForTriggerAvailableNow(): Promise<void> {
    this.availableNowEnd = this.total;
  }

  async getBatch(start: Offset | null, end: Offset): Promise<LogicalPlan> {
    const from = countOffset(start, 0, this.description);
    const to = countOffset(end, 0, this.description);
    if (from < this.forgottenBefore || to > this.total || to < from)
      throw new SluiceError(
        'INVALID_ARGUMENT',
        `${this.description} cannot return rows (${from}, ${to}]: it holds rows ${this.forgottenBefore} to ${this.total} (rows before a commit are dropped and rows not yet added do not exist). A memory stream is not replayable across processes; re-create the query with a new checkpoint.`,
      );
    const parts: ColumnarBatch[] = [];
    for (const c of this.chunks) {
      const lo = Math.max(from, c.first);
      const hi = Math.min(to, c.first + c.batch.numRows);
      if (hi > lo) parts.push(lo === c.first && hi === c.first + c.batch.numRows ? c.batch : sliceBatch(c.batch, lo - c.first, hi - c.first));
    }
    return buildLocalRelation(this.schema, parts);
  }

  async commit(end: Offset): Promise<void> {
    const upTo = Math.min(countOffset(end, 0, this.description), this.total);
    if (upTo <= this.forgottenBefore) return;
    this.forgottenBefore = upTo;
    this.chunks = this.chunks.filter((c) => c.first + c.batch.numRows > upTo);
  }

  async stop(): Promise<void> {}
}
