import type { ColumnarBatch } from '../../common/column-vector.js';
import type { Schema } from '../../common/schema.js';
import type { FileManager } from '../../common/log/file-manager.js';
import { buildLocalRelation } from '../../dataframe/plan/builders/build-misc.js';
import type { LogicalPlan, ScanOptions } from '../../dataframe/plan/logical-plan.js';
import type { Clock } from '../../scheduler/clock.js';
import type { Offset, ReadLimit, Source } from '../source.js';
import { countOffset } from './count-offset.js';
import { integerOption } from '../../common/integer-option.js';
import { checkKnownOptions } from '../../common/known-options.js';
import { rateBatches } from './rate-batches.js';
import { RATE_SCHEMA } from './rate-schema.js';
import { RateStartLog } from './rate-start-log.js';

const OWNER = 'rate source';

/** Validated options of {@link RateStreamSource}. */
export interface RateOptions {
  /** Rows generated per second of elapsed time (default 1). */
  readonly rowsPerSecond: number;
  /** Contiguous value ranges each batch is split into (default 1). */
  readonly numPartitions: number;
}

/** Parses and validates the options of the rate source; INVALID_ARGUMENT names the bad option. */
export function rateOptions(options: ScanOptions): RateOptions {
  checkKnownOptions(options, ['rowsPerSecond', 'numPartitions'], OWNER);
  return {
    rowsPerSecond: integerOption(options, 'rowsPerSecond', { min: 1, fallback: 1, owner: OWNER }),
    numPartitions: integerOption(options, 'numPartitions', { min: 1, fallback: 1, owner: OWNER }),
  };
}

/** Where the rate source keeps its start time; without it the start time lives in memory only. */
export interface RateMetadata {
  readonly metadataPath: string;
  readonly fileManager: FileManager;
}

/**
 * Spark's `rate` source: `rowsPerSecond` rows per second of elapsed time, columns
 * `timestamp` and `value` (see RATE_SCHEMA).
 *
 * The offset is the number of whole seconds elapsed since the source's start time, read
 * from the injected clock (initially 0). Second s ends at value `s*rowsPerSecond`, so the
 * range `(a, b]` holds values `[a*rowsPerSecond, b*rowsPerSecond)`; value v is stamped
 * `start + a*1000 + round((v - a*rowsPerSecond) * 1000/rowsPerSecond)` ms, i.e. evenly
 * spread over the range's seconds as in Spark. The start time is taken from the clock on
 * first use and, when a metadata path is given, logged there (`<metadataPath>/0`) so a
 * restart regenerates exactly the same rows. Read limits are ignored (as Spark's rate
 * source does): the rate is the limit. `rampUpTime` is not supported.
 *
 * AvailableNow: `prepareForTriggerAvailableNow()` caps the offset at the whole seconds
 * elapsed at that moment (on a fresh source that is 0: nothing is available yet), so the
 * run reads up to there in one batch and stops.
 */
export class RateStreamSource implements Source {
  readonly schema: Schema = RATE_SCHEMA;
  readonly description: string;
  /** The validated options. */
  readonly options: RateOptions;
  private readonly clock: Clock;
  private readonly log: RateStartLog | null;
  private startTimeMs: number | null = null;
  /** The offset fixed by prepareForTriggerAvailableNow; null when uncapped. */
  private availableNowEnd: number | null = null;

  /**
   * @param options - rowsPerSecond, numPartitions (validated here)
   * @param clock - the time source; tests pass a ManualClock
   * @param metadata - where to log the start time; null keeps it in memory
   */
  constructor(options: ScanOptions, clock: Clock, metadata: RateMetadata | null) {
    this.options = rateOptions(options);
    this.clock = clock;
    this.log = metadata === null ? null : new RateStartLog(metadata.fileManager, metadata.metadataPath);
    this.description = `RateStreamSource[rowsPerSecond=${this.options.rowsPerSecond}, numPartitions=${this.options.numPartitions}]`;
  }

  private async start(): Promise<number> {
    if (this.startTimeMs === null) {
      const now = this.clock.now();
      this.startTimeMs = this.log === null ? now : await this.log.startTime(now);
    }
    return this.startTimeMs;
  }

  async initialOffset(): Promise<Offset> {
    await this.start();
    return 0;
  }

  async latestOffset(start: Offset, _limit: ReadLimit): Promise<Offset> {
    const from = countOffset(start, 0, this.description);
    const elapsed = await this.elapsedSeconds();
    return Math.max(from, Math.min(elapsed, this.availableNowEnd ?? elapsed));
  }

  async prepareForTriggerAvailableNow(): Promise<void> {
    this.availableNowEnd = await this.elapsedSeconds();
  }

  private async elapsedSeconds(): Promise<number> {
    return Math.floor((this.clock.now() - (await this.start())) / 1000);
  }

  async getBatch(start: Offset | null, end: Offset): Promise<LogicalPlan> {
    const from = countOffset(start, 0, this.description);
    const to = countOffset(end, 0, this.description);
    const { rowsPerSecond, numPartitions } = this.options;
    const startMs = await this.start();
    let batches: ColumnarBatch[] = [];
    if (to > from) {
      const rows = { firstValue: from * rowsPerSecond, count: (to - from) * rowsPerSecond, baseMs: startMs + from * 1000, msPerRow: 1000 / rowsPerSecond };
      batches = rateBatches(rows, numPartitions);
    }
    return buildLocalRelation(this.schema, batches);
  }

  async commit(_end: Offset): Promise<void> {}

  async stop(): Promise<void> {}
}
