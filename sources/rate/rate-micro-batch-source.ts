import type { Schema } from '../../common/schema.js';
import type { LogicalPlan } from '../../dataframe/plan/logical-plan.js';
import { buildLocalRelation } from '../../dataframe/plan/builders/build-misc.js';
import type { ScanOptions } from '../../dataframe/plan/logical-plan.js';
import type { Offset, ReadLimit, Source } from '../source.js';
import { countOffset } from './count-offset.js';
import { integerOption } from '../../common/integer-option.js';
import { checkKnownOptions } from '../../common/known-options.js';
import type { ColumnarBatch } from '../../common/column-vector.js';
import { rateBatches } from './rate-batches.js';
import { RATE_SCHEMA } from './rate-schema.js';

const OWNER = 'rate-micro-batch source';

/** Validated options of {@link RatePerMicroBatchSource}. */
export interface RatePerMicroBatchOptions {
  /** Rows in every micro-batch (required, positive). */
  readonly rowsPerBatch: number;
  /** Contiguous value ranges each batch is split into (default 1). */
  readonly numPartitions: number;
  /** Timestamp of batch 0's rows, ms since the epoch (default 0). */
  readonly startTimestamp: number;
  /** How far the generated time moves per batch, ms (default 1000). */
  readonly advanceMillisPerBatch: number;
}

/** Parses and validates the options of the rate-micro-batch source; INVALID_ARGUMENT names the bad option. */
export function ratePerMicroBatchOptions(options: ScanOptions): RatePerMicroBatchOptions {
  checkKnownOptions(options, ['rowsPerBatch', 'numPartitions', 'startTimestamp', 'advanceMillisPerBatch'], OWNER);
  return {
    rowsPerBatch: integerOption(options, 'rowsPerBatch', { min: 1, owner: OWNER }),
    numPartitions: integerOption(options, 'numPartitions', { min: 1, fallback: 1, owner: OWNER }),
    startTimestamp: integerOption(options, 'startTimestamp', { min: 0, fallback: 0, owner: OWNER }),
    advanceMillisPerBatch: integerOption(options, 'advanceMillisPerBatch', { min: 0, fallback: 1000, owner: OWNER }),
  };
}

/**
 * Spark's `rate-micro-batch` source: every micro-batch holds exactly `rowsPerBatch` rows,
 * independent of wall time, which makes it the input of choice for tests and benchmarks.
 *
 * Offsets are the number of batches generated so far (a number, initially 0); every call
 * of `latestOffset(start)` offers one more batch, so the source never runs dry. Batch k
 * (the range `(k, k+1]`) holds values `[k*rowsPerBatch, (k+1)*rowsPerBatch)`, all with the
 * timestamp `startTimestamp + k*advanceMillisPerBatch` (as Spark's RatePerMicroBatchStream
 * stamps a batch's rows with the batch's start time). Read limits are ignored: the batch
 * size is `rowsPerBatch`, as in Spark. A range of several batches is the concatenation of
 * those batches. Nothing is kept on disk: a restart regenerates the same rows.
 *
 * AvailableNow (as Spark's RatePerMicroBatchStream): as the source is never exhausted,
 * "available now" is one more batch. After `prepareForTriggerAvailableNow()` the first
 * `latestOffset(start)` fixes the end at `start + 1` and every later call returns that end
 * (or `start` once it is reached), so each availableNow run processes exactly one batch.
 */
export class RatePerMicroBatchSource implements Source {
  readonly schema: Schema = RATE_SCHEMA;
  readonly description: string;
  /** The validated options. */
  readonly options: RatePerMicroBatchOptions;
  private availableNow = false;
  /** The end fixed by the first latestOffset of an availableNow run. */
  private availableNowEnd: number | null = null;

  /** @param options - rowsPerBatch, numPartitions, startTimestamp, advanceMillisPerBatch (validated here) */
  constructor(options: ScanOptions) {
    this.options = ratePerMicroBatchOptions(options);
    this.description = `RatePerMicroBatchSource[rowsPerBatch=${this.options.rowsPerBatch}]`;
  }

  async initialOffset(): Promise<Offset> {
    return 0;
  }

  async latestOffset(start: Offset, _limit: ReadLimit): Promise<Offset> {
    const from = countOffset(start, 0, this.description);
    if (!this.availableNow) return from + 1;
    this.availableNowEnd ??= from + 1;
    return Math.max(from, this.availableNowEnd);
  }

  async prepareForTriggerAvailableNow(): Promise<void> {
    this.availableNow = true;
    this.availableNowEnd = null;
  }

  async getBatch(start: Offset | null, end: Offset): Promise<LogicalPlan> {
    const from = countOffset(start, 0, this.description);
    const to = countOffset(end, 0, this.description);
    const { rowsPerBatch, numPartitions, startTimestamp, advanceMillisPerBatch } = this.options;
    const batches: ColumnarBatch[] = [];
    for (let k = from; k < to; k++) {
      const rows = { firstValue: k * rowsPerBatch, count: rowsPerBatch, baseMs: startTimestamp + k * advanceMillisPerBatch, msPerRow: 0 };
      batches.push(...rateBatches(rows, numPartitions));
    }
    return buildLocalRelation(this.schema, batches);
  }

  async commit(_end: Offset): Promise<void> {}

  async stop(): Promise<void> {}
}
