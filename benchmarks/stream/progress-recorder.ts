import type { QueryProgressEvent, StreamingQueryListener } from '../../engine/execution/query-listener.js';
import type { BatchDurations, StreamingQueryProgress } from '../../dataframe/query-progress.js';

/** The phases of a micro-batch, in execution order (Spark's `durationMs` keys, `triggerExecution` last). */
export const BATCH_PHASES: readonly (keyof BatchDurations)[] = Object.freeze([
  'latestOffset',
  'walCommit',
  'getBatch',
  'queryPlanning',
  'addBatch',
  'commitOffsets',
  'triggerExecution',
]);

/**
 * A session listener that keeps the numbers of the first `limit` progress events of the
 * query named `queryName` in preallocated typed arrays (so recording adds no garbage that
 * grows with the run), calls `onBatch` after each, and resolves {@link done} at the
 * `limit`-th. Register it with `sluice.streams.addListener` before starting the query.
 */
export class ProgressRecorder implements StreamingQueryListener {
  /** Per phase, the duration (ms) of every recorded batch, in batch order. */
  readonly phases: Readonly<Record<keyof BatchDurations, Float64Array>>;
  /** Input rows of every recorded batch. */
  readonly inputRows: Float64Array;
  /** `performance.now()` when each progress event arrived. */
  readonly arrivedAt: Float64Array;
  /** Batches recorded so far. */
  count = 0;
  /** Resolves when `limit` batches are recorded. */
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(
    private readonly queryName: string,
    readonly limit: number,
    private readonly onBatch?: (progress: StreamingQueryProgress, index: number) => void,
  ) {
    const phases = {} as Record<keyof BatchDurations, Float64Array>;
    for (const p of BATCH_PHASES) phases[p] = new Float64Array(limit);
    this.phases = phases;
    this.inputRows = new Float64Array(limit);
    this.arrivedAt = new Float64Array(limit);
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
    if (limit === 0) this.resolveDone();
  }

  onQueryProgress(event: QueryProgressEvent): void {
    const p = event.progress;
    if (p.name !== this.queryName || this.count >= this.limit) return;
    const i = this.count++;
    for (const phase of BATCH_PHASES) (this.phases[phase] as Float64Array)[i] = p.durationMs[phase];
    this.inputRows[i] = p.numInputRows;
    this.arrivedAt[i] = performance.now();
    this.onBatch?.(p, i);
    if (this.count === this.limit) this.resolveDone();
  }
}
