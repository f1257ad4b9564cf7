import type { ColumnarBatch } from '../../../common/column-vector.js';
import type { LogicalPlan } from '../../../dataframe/plan/logical-plan.js';
import type { StateOperatorProgress } from '../../../dataframe/query-progress.js';
import type { OutputMode } from '../../../sinks/sink.js';
import type { CheckpointLayout } from '../../checkpoint/checkpoint-layout.js';
import type { FileManager } from '../../../common/log/file-manager.js';
import type { BatchPlanner } from '../batch-planner.js';

/**
 * The event-time and processing-time facts of one micro-batch, the same on every re-run of
 * the batch (they come from its offset-log entry).
 */
export interface StatefulBatchContext {
  readonly batchId: number;
  readonly outputMode: OutputMode;
  /**
   * Watermark for dropping late input rows: the operator's input watermark derived from the
   * PREVIOUS batch's query watermark. Rows that an upstream stateful operator emits in this
   * batch were on time for it, so they must not be judged late downstream (Spark's
   * two-watermark rule for chained operators); see watermark-propagation.ts.
   */
  readonly lateWatermarkMs: number;
  /** Watermark for emitting results and evicting state: the operator's input watermark derived from this batch's query watermark. */
  readonly evictionWatermarkMs: number;
  /** The batch's processing time (ms), for processing-time timers and TTL. */
  readonly batchTimestampMs: number;
}

/** What every stateful operator is built with. */
export interface StatefulOperatorEnv {
  /** The operator's number in the plan (post-order); its state lives in `state/<operatorId>/<partition>/`. */
  readonly operatorId: number;
  /** State partitions, pinned in the checkpoint's offset log. */
  readonly numPartitions: number;
  readonly fileManager: FileManager;
  readonly layout: CheckpointLayout;
  readonly planner: BatchPlanner;
  readonly snapshotInterval: number;
  readonly minVersionsToRetain: number;
  /** The query's output mode (fixed for the life of the query). */
  readonly outputMode: import('../../../sinks/sink.js').OutputMode;
  /** Columns of the operator's input(s) that carry event time (watermarked columns and windows over them), per input. */
  readonly eventTimeColumns: readonly ReadonlySet<string>[];
  /** The query run's state executor threads, for operators that keep their state there; absent: state stays on this thread. */
  readonly stateExecutors?: import('./state-executors.js').StateExecutors;
}

/** Late input rows an operator dropped in one batch, for the optional late-rows sink. */
export interface DroppedRows {
  readonly operatorId: number;
  readonly rows: ColumnarBatch;
}

/**
 * A stateful operator of a streaming query, run once per micro-batch by the incremental
 * execution, between the stateless parts of the batch plan.
 *
 * Contract:
 * - `process(inputs, ctx)` for batch N reads state version N and returns the operator's
 *   output rows for the batch; `inputs` are its children's plans for the batch (stateful
 *   descendants already replaced by their output). Changes stay pending until `commit()`
 *   writes state version N+1 (after the sink took the batch), or `abort()` drops them. A
 *   re-run of batch N after a crash therefore sees version N again and produces the same
 *   output, because its inputs and `ctx` are the same.
 * - Late rows: with a watermark, input rows whose event time is at or before
 *   `ctx.lateWatermarkMs` are dropped (counted in `numRowsDroppedByWatermark`, and handed
 *   to `takeDroppedRows` when the query keeps them). Emission and eviction use
 *   `ctx.evictionWatermarkMs`.
 * - `shouldRunAnotherBatch(next, last)` is Spark's rule for no-data batches (the default):
 *   whether the operator wants a batch without new rows now that its input watermark would
 *   move from `last` (the one its last batch evicted with) to `next`. It is asked only for
 *   operators with a watermark below them.
 * - `nextEventTimeDeadlineMs()` is the smallest input watermark of the operator at which a
 *   batch without new rows would emit or evict something (null: none), for the
 *   `onlyWhenDue` rule of no-data batches, the idle timeout and the end-of-input flush;
 *   `nextProcessingTimeDeadlineMs()` the same for processing-time timers.
 * - `verify(inputs, version)` loads state `version` once, so damaged state fails the query
 *   at start.
 */
export interface StreamingStatefulOperator {
  readonly operatorId: number;
  /** Name in progress reports (Spark's: stateStoreSave, dedupe, symmetricHashJoin, transformWithStateExec). */
  readonly name: string;
  /** The logical node the operator executes. */
  readonly node: LogicalPlan;
  verify(inputs: readonly LogicalPlan[], version: number): Promise<void>;
  /**
   * The watermark the operator's output carries for input watermark `inputMs` (ms): no row
   * it emits later has an event time at or before it, so operators downstream judge lateness
   * and evict by it. Absent: the input watermark passes through (aggregations,
   * deduplication). Null: the output carries no watermark.
   */
  outputWatermarkMs?(inputMs: number): number | null;
  process(inputs: readonly LogicalPlan[], ctx: StatefulBatchContext): Promise<ColumnarBatch>;
  /**
   * Spark's `shouldRunAnotherBatch(newInputWatermark)`: whether a batch without new rows should
   * run because this operator's input watermark moves from `lastInputWatermarkMs` to
   * `nextInputWatermarkMs` (it states the operator's condition; mostly "it moved").
   */
  shouldRunAnotherBatch(nextInputWatermarkMs: number, lastInputWatermarkMs: number): boolean;
  nextEventTimeDeadlineMs(): number | null;
  nextProcessingTimeDeadlineMs(): number | null;
  /** Late rows dropped in the running batch (only collected when `keepDroppedRows` was set). */
  takeDroppedRows(): ColumnarBatch[];
  /** Ask the operator to keep the late rows it drops (for a late-rows sink). */
  keepDroppedRows(): void;
  commit(): Promise<void>;
  abort(): void;
  progress(): StateOperatorProgress;
  close(): Promise<void>;
}
