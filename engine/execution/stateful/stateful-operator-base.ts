import type { ColumnarBatch } from '../../../common/column-vector.js';
import type { StateOperatorProgress } from '../../../dataframe/query-progress.js';
import type { PartitionedState, PartitionedStateMetrics } from './partitioned-state.js';
import { NO_STATE_METRICS, sumStateMetrics } from './partitioned-state.js';
import type { ExecutorStateClient } from './executor-state-client.js';
import type { StatefulOperatorEnv } from './stateful-operator.js';

/**
 * What stateful operators over {@link PartitionedState} stores share: the pending and committed
 * event-time deadline, the late-row counter and side output, and commit/abort/progress. A
 * batch's deadline, drop count and metrics take effect only when its state commits, so a
 * re-run after an abort starts from the committed values.
 */
export abstract class StatefulOperatorBase {
  /** Name in progress reports. */
  abstract readonly name: string;
  readonly operatorId: number;
  /** Smallest watermark at which committed state has something to emit or evict. */
  protected deadline: number | null = null;
  /** The running batch's deadline, committed with its state. */
  protected pendingDeadline: number | null = null;
  /** Late input rows dropped by the running batch. */
  protected dropped = 0;
  protected lastDropped = 0;
  /** Whether to keep dropped rows for the late-rows sink. */
  protected keep = false;
  protected droppedRows: ColumnarBatch[] = [];
  protected metrics: PartitionedStateMetrics = NO_STATE_METRICS;

  constructor(protected readonly env: StatefulOperatorEnv) {
    this.operatorId = env.operatorId;
  }

  /** The operator's state stores (none until their schema is known, at the first batch). */
  protected abstract stores(): readonly PartitionedState[];

  /** The operator's state partitions held by state executor threads, if they live there (null: on this thread). */
  protected executorState(): ExecutorStateClient | null {
    return null;
  }

  /** Where this operator's state stores live. */
  get stateLocation(): 'workers' | 'driver' {
    return this.executorState() === null ? 'driver' : 'workers';
  }

  /** Spark's default for watermarked operators (deduplication): another batch whenever the input watermark moved. */
  shouldRunAnotherBatch(nextInputWatermarkMs: number, lastInputWatermarkMs: number): boolean {
    return nextInputWatermarkMs > lastInputWatermarkMs;
  }

  nextEventTimeDeadlineMs(): number | null {
    return this.deadline;
  }

  nextProcessingTimeDeadlineMs(): number | null {
    return null;
  }

  keepDroppedRows(): void {
    this.keep = true;
  }

  takeDroppedRows(): ColumnarBatch[] {
    const out = this.droppedRows;
    this.droppedRows = [];
    return out;
  }

  /** Makes the batch's state durable as the next version, then adopts its deadline and counters. */
  async commit(): Promise<void> {
    const all: PartitionedStateMetrics[] = [];
    for (const state of this.stores()) all.push(await state.commit());
    const remote = await this.executorState()?.commit();
    if (remote !== undefined && remote !== null) all.push(remote);
    this.metrics = sumStateMetrics(all);
    this.deadline = this.pendingDeadline;
    this.lastDropped = this.dropped;
  }

  /** Drops the running batch's changes. */
  abort(): void {
    for (const state of this.stores()) state.abort();
    this.executorState()?.abort();
    this.pendingDeadline = this.deadline;
    this.droppedRows = [];
  }

  /** State counters of the last committed batch. */
  progress(): StateOperatorProgress {
    const n = this.env.numPartitions;
    return { operatorName: this.name, ...this.metrics, numRowsDroppedByWatermark: this.lastDropped, numShufflePartitions: n, numStateStoreInstances: n };
  }

  /** Waits for background snapshots and releases memory. */
  async close(): Promise<void> {
    for (const state of this.stores()) await state.close();
  }
}
