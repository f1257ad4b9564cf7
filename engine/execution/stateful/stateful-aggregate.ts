import type { ColumnarBatch, ColumnVector } from '../../../common/column-vector.js';
import { gatherBatch, makeBatch } from '../../../common/columnar-batch.js';
import type { Schema } from '../../../common/schema.js';
import { resolveFieldIndex, schemaOf } from '../../../common/schema.js';
import { maskToIndices } from '../../../common/vector-gather.js';
import type { Expr } from '../../../dataframe/expr/expr.js';
import type { Aggregate, LogicalPlan } from '../../../dataframe/plan/logical-plan.js';
import type { StateOperatorProgress } from '../../../dataframe/query-progress.js';
import { HashAggregateExec } from '../../physical/hash-aggregate-exec.js';
import { LocalScanExec } from '../../physical/local-scan-exec.js';
import { ProjectExec } from '../../physical/project-exec.js';
import type { AggregateParts } from '../../planner/aggregate-parts.js';
import { aggregateParts } from '../../planner/aggregate-parts.js';
import type { StateStore } from '../../state/state-store.js';
import { planPartialAggregate } from '../partial-aggregate-stage.js';
import { partitionRows } from '../partition-rows.js';
import { stateStoreLocation } from '../streaming-conf.js';
import { eventTimeKeyIndex } from '../streaming-plan-shape.js';
import { hasWatermark } from './event-time-columns.js';
import { lateTimeRows, lateWindowRows, windowCallOf } from './late-window-rows.js';
import { atOrBeforeWatermark, minOf } from './event-time-key.js';
import type { PartitionedStateMetrics } from './partitioned-state.js';
import { NO_STATE_METRICS, PartitionedState, sumStateMetrics } from './partitioned-state.js';
import type { StatefulBatchContext, StatefulOperatorEnv, StreamingStatefulOperator } from './stateful-operator.js';
import type { AggStateSpec } from './state-executor-ops.js';
import { allStatesOf, batchDeadline, collectAll as collect, evictFromStores, mergeIntoStore, partialMergeExec, scanDeadline } from './state-executor-ops.js';
import type { BatchReply, PartitionOutput, PartitionRows, VerifyReply } from './state-executor-protocol.js';
import type { StateExecutors } from './state-executors.js';
import { canUseStateExecutors } from './state-executors.js';
import { withRowCounter } from './row-counter.js';

/**
 * A grouped aggregation over a stream, Spark's StateStoreRestore/Save pair.
 *
 * Each group's partial aggregation state (the `_aggI#state` columns of the partial hash
 * aggregate) is kept in a state store per state partition, keyed by the group columns (a
 * window key is kept as its start and end). Per batch N ({@link process}): the batch's rows
 * are partially aggregated on the worker pool; with an event-time key and a watermark,
 * groups whose event time (for a window: its end) is at or before the late-events watermark
 * are dropped and counted; the rest are merged with the stored states of their keys
 * (version N, stored first so first/last keep stream order) and put back. Then, by output
 * mode:
 * - complete: every group is emitted; nothing is evicted;
 * - update: the changed groups are emitted; groups whose event time is at or before this
 *   batch's watermark are evicted;
 * - append: the groups whose event time is at or before this batch's watermark are emitted
 *   once, with their final value, and evicted.
 * The stores stay open until {@link commit} writes version N+1 (after the sink took the
 * batch) or {@link abort} drops the changes.
 *
 * Where the stores live (`sluice.streaming.stateStore.location`): with 'workers' (and a
 * plain local checkpoint), each state partition lives in the query's state executor thread
 * that owns it and stays loaded there across batches; the driver sends each partition its
 * partial rows and gets back the rows the output mode needs. With 'driver' the stores live
 * in this thread. Both read and write the same files, so either can restart from the
 * other's checkpoint.
 */
export class StatefulAggregate implements StreamingStatefulOperator {
  readonly name = 'stateStoreSave';
  readonly operatorId: number;
  private readonly parts: AggregateParts;
  private readonly groupRefs: readonly Expr[];
  private readonly resultExprs: readonly Expr[];
  private readonly rowCounter: string;
  /** The grouping key (group index) that carries event time, or -1. */
  private readonly eventKey: number;
  /** Whether late rows are dropped and state evicted (an event-time key over a watermarked input). */
  private readonly watermarked: boolean;
  /** The state executors holding this operator's stores, or null when they live on this thread. */
  private readonly executors: StateExecutors | null;
  private executorsReady = false;
  private state: PartitionedState | null = null;
  private spec: AggStateSpec | null = null;
  private deadline: number | null = null;
  private pendingDeadline: number | null = null;
  private dropped = 0;
  private lastDropped = 0;
  private keep = false;
  private droppedRows: ColumnarBatch[] = [];
  private metrics: PartitionedStateMetrics = NO_STATE_METRICS;

  constructor(
    readonly node: Aggregate,
    private readonly env: StatefulOperatorEnv,
  ) {
    this.operatorId = env.operatorId;
    this.parts = aggregateParts(withRowCounter(node));
    this.groupRefs = this.parts.groupNames.map((name) => Object.freeze({ kind: 'col', name, qualifier: null }));
    this.resultExprs = this.parts.resultExprs.slice(0, this.parts.resultExprs.length - 1);
    const counterCall = this.parts.aggCalls.findIndex((c) => c.fn === 'count' && c.args.length === 1 && c.args[0]?.kind === 'lit');
    this.rowCounter = `${this.parts.aggNames[counterCall]}#count`;
    this.eventKey = eventTimeKeyIndex(node);
    this.watermarked = this.eventKey >= 0 && hasWatermark(node.child);
    const onWorkers = stateStoreLocation(env.planner.conf) === 'workers' && env.stateExecutors !== undefined && canUseStateExecutors(env.fileManager);
    this.executors = onWorkers ? (env.stateExecutors as StateExecutors) : null;
    this.executors?.start();
  }

  /** Where this operator's state stores live. */
  get stateLocation(): 'workers' | 'driver' {
    return this.executors === null ? 'driver' : 'workers';
  }

  /** True when this thread holds state stores of the operator (never in 'workers' mode). */
  get holdsDriverState(): boolean {
    return this.state !== null;
  }

  private get keyCount(): number {
    return this.parts.groupNames.length;
  }

  /** The merge spec for the partial schema (the first batch's, or the planned one at restart). */
  private specFor(partialSchema: Schema): AggStateSpec {
    if (this.spec !== null) return this.spec;
    const k = this.keyCount;
    let eventColumn = -1;
    if (this.eventKey >= 0) {
      const name = this.node.schema.fields[this.eventKey]?.name as string;
      const keyFields = partialSchema.fields.slice(0, k);
      eventColumn = keyFields.findIndex((f) => f.name === `${name}.end`);
      if (eventColumn < 0) eventColumn = keyFields.findIndex((f) => f.name === name && f.type.kind === 'timestamp');
    }
    this.spec = {
      groupRefs: this.groupRefs,
      groupNames: this.parts.groupNames,
      aggCalls: this.parts.aggCalls,
      aggNames: this.parts.aggNames,
      schema: partialSchema,
      eventColumn,
    };
    return this.spec;
  }

  private ensureState(spec: AggStateSpec): PartitionedState {
    if (this.state !== null) return this.state;
    const k = this.keyCount;
    this.state = new PartitionedState(this.env, schemaOf(spec.schema.fields.slice(0, k)), schemaOf(spec.schema.fields.slice(k)));
    return this.state;
  }

  /** Executors that own at least one partition, each with its partitions. */
  private owners(ex: StateExecutors): { executor: number; partitions: number[] }[] {
    const out: { executor: number; partitions: number[] }[] = [];
    for (let i = 0; i < ex.size; i++) {
      const partitions = ex.partitionsOf(i, this.env.numPartitions);
      if (partitions.length > 0) out.push({ executor: i, partitions });
    }
    return out;
  }

  /** Registers the operator with its executors once (they create their stores' providers). */
  private async ensureExecutors(ex: StateExecutors, spec: AggStateSpec): Promise<void> {
    if (this.executorsReady) return;
    const k = this.keyCount;
    await Promise.all(
      this.owners(ex).map(({ executor, partitions }) =>
        ex.request(executor, {
          kind: 'init',
          operatorId: this.operatorId,
          checkpointRoot: this.env.layout.root,
          partitions,
          keySchema: schemaOf(spec.schema.fields.slice(0, k)),
          valueSchema: schemaOf(spec.schema.fields.slice(k)),
          snapshotInterval: this.env.snapshotInterval,
          minVersionsToRetain: this.env.minVersionsToRetain,
          spec,
        }),
      ),
    );
    this.executorsReady = true;
  }

  private stateSchemaFor(input: LogicalPlan): Schema {
    return planPartialAggregate(this.parts, input, this.env.planner).schema;
  }

  async verify(inputs: readonly LogicalPlan[], version: number): Promise<void> {
    const spec = this.specFor(this.stateSchemaFor(inputs[0] as LogicalPlan));
    const ex = this.executors;
    if (ex !== null) {
      await this.ensureExecutors(ex, spec);
      const replies = await Promise.all(
        this.owners(ex).map(({ executor }) => ex.request<VerifyReply>(executor, { kind: 'verify', operatorId: this.operatorId, version })),
      );
      let d: number | null = null;
      for (const r of replies) d = minOf(d, r.deadline);
      this.deadline = d;
      return;
    }
    const state = this.ensureState(spec);
    await state.verify(version);
    if (spec.eventColumn >= 0) {
      // The deadline of the restored state: its smallest event time.
      const stores = await state.openAll(version);
      this.deadline = scanDeadline(spec, stores);
      state.abort();
    }
  }

  async process(inputs: readonly LogicalPlan[], ctx: StatefulBatchContext): Promise<ColumnarBatch> {
    const input = inputs[0] as LogicalPlan;
    const batchSize = this.env.planner.conf.getPositiveInt('sluice.sql.batchSize');
    // One partial row per task and key comes back from the workers: combine them first, so
    // each key appears once when it meets its stored state. With state executors, each
    // executor combines the rows of its own partitions, in parallel, instead of this thread.
    const perTask = await collect(planPartialAggregate(this.parts, input, this.env.planner), batchSize);
    const spec = this.specFor(perTask.schema);
    const partial = this.executors === null ? await collect(partialMergeExec(spec, perTask.schema, [perTask]), batchSize) : perTask;
    const schema = spec.schema;
    let rows = makeBatch(schema, partial.columns, partial.numRows);
    const useWatermark = this.watermarked && spec.eventColumn >= 0 && ctx.outputMode !== 'complete';
    this.dropped = 0;
    if (useWatermark && rows.numRows > 0) rows = this.dropLate(rows, ctx.lateWatermarkMs, spec.eventColumn);
    if (this.keep && this.dropped > 0) {
      // The side output needs the raw rows: read the batch's input once more (opt-in).
      const windowCall = windowCallOf(this.node.groupBy);
      const executor = this.env.planner.executor;
      this.droppedRows =
        windowCall !== undefined
          ? await lateWindowRows(input, windowCall, ctx.lateWatermarkMs, executor)
          : await lateTimeRows(input, this.node.groupBy[this.eventKey] as Expr, ctx.lateWatermarkMs, executor);
    }
    const toEmit =
      this.executors === null
        ? await this.processOnDriver(spec, rows, ctx, useWatermark, batchSize)
        : await this.processOnExecutors(this.executors, spec, rows, ctx, useWatermark, batchSize);
    return this.finalize(schema, toEmit, batchSize);
  }

  private async processOnDriver(
    spec: AggStateSpec,
    rows: ColumnarBatch,
    ctx: StatefulBatchContext,
    useWatermark: boolean,
    batchSize: number,
  ): Promise<ColumnarBatch[]> {
    const state = this.ensureState(spec);
    const stores = await state.openAll(ctx.batchId);
    const byPartition = state.split(rows.columns.slice(0, this.keyCount), rows.numRows);
    const changed: ColumnarBatch[] = [];
    let deadline = this.deadline;
    for (let p = 0; p < stores.length; p++) {
      const idx = byPartition[p] as Int32Array;
      if (idx.length === 0) continue;
      const merged = await mergeIntoStore(spec, stores[p] as StateStore, gatherBatch(rows, idx), batchSize);
      deadline = minOf(deadline, batchDeadline(spec, merged));
      changed.push(merged);
    }
    let evicted: ColumnarBatch[] = [];
    if (useWatermark && deadline !== null && ctx.evictionWatermarkMs >= deadline) {
      const ev = evictFromStores(spec, stores, ctx.evictionWatermarkMs);
      evicted = ev.evicted.flat();
      deadline = ev.deadline;
    }
    this.pendingDeadline = deadline;
    if (ctx.outputMode === 'complete') return stores.flatMap((s) => allStatesOf(spec, s));
    return ctx.outputMode === 'update' ? changed : evicted;
  }

  /** Sends each partition's rows to the executor that owns it; all executors work at once. */
  private async processOnExecutors(
    ex: StateExecutors,
    spec: AggStateSpec,
    rows: ColumnarBatch,
    ctx: StatefulBatchContext,
    useWatermark: boolean,
    batchSize: number,
  ): Promise<ColumnarBatch[]> {
    await this.ensureExecutors(ex, spec);
    const byPartition = partitionRows(rows.columns.slice(0, this.keyCount), rows.numRows, this.env.numPartitions);
    const emit = ctx.outputMode === 'complete' ? 'all' : ctx.outputMode === 'update' ? 'changed' : 'evicted';
    const evictWatermarkMs = useWatermark ? ctx.evictionWatermarkMs : null;
    const replies = await Promise.all(
      this.owners(ex).map(({ executor, partitions }) => {
        const parts: PartitionRows[] = [];
        for (const p of partitions) {
          const idx = byPartition[p] as Int32Array;
          if (idx.length > 0) parts.push({ partition: p, rows: gatherBatch(rows, idx) });
        }
        return ex.request<BatchReply>(executor, {
          kind: 'batch',
          operatorId: this.operatorId,
          version: ctx.batchId,
          rows: parts,
          evictWatermarkMs,
          emit,
          batchSize,
        });
      }),
    );
    let deadline: number | null = null;
    const outputs: PartitionOutput[] = [];
    for (const r of replies) {
      deadline = minOf(deadline, r.deadline);
      outputs.push(...r.outputs);
    }
    this.pendingDeadline = deadline;
    // Partition order, as on the driver, so the output order does not depend on the executor count.
    outputs.sort((a, b) => a.partition - b.partition);
    return outputs.flatMap((o) => o.rows);
  }

  /** Drops partial rows whose event time is at or before `watermarkMs`, counting their input rows. */
  private dropLate(rows: ColumnarBatch, watermarkMs: number, eventColumn: number): ColumnarBatch {
    const late = atOrBeforeWatermark(rows.columns[eventColumn] as ColumnVector, watermarkMs);
    const counts = rows.columns[resolveFieldIndex(rows.schema, this.rowCounter, null)]?.values as BigInt64Array;
    let dropped = 0;
    let kept = 0;
    const keep = new Uint8Array(rows.numRows);
    for (let i = 0; i < rows.numRows; i++) {
      if (late[i] === 1) dropped += Number(counts[i]);
      else {
        keep[i] = 1;
        kept++;
      }
    }
    this.dropped = dropped;
    if (kept === rows.numRows) return rows;
    return gatherBatch(rows, maskToIndices(keep, null, rows.numRows));
  }

  private async finalize(schema: Schema, toEmit: readonly ColumnarBatch[], batchSize: number): Promise<ColumnarBatch> {
    const final = new HashAggregateExec(
      new LocalScanExec(schema, toEmit),
      this.groupRefs,
      this.parts.groupNames,
      this.parts.aggCalls,
      this.parts.aggNames,
      'final',
    );
    const out = new ProjectExec(final, this.resultExprs, this.node.schema);
    const result = await collect(out, batchSize);
    return makeBatch(this.node.schema, result.columns, result.numRows);
  }

  /** Spark's StateStoreSaveExec: append and update modes run a no-data batch when the input watermark moved; complete mode never does. */
  shouldRunAnotherBatch(nextInputWatermarkMs: number, lastInputWatermarkMs: number): boolean {
    return this.env.outputMode !== 'complete' && nextInputWatermarkMs > lastInputWatermarkMs;
  }

  nextEventTimeDeadlineMs(): number | null {
    return this.watermarked && this.env.outputMode !== 'complete' ? this.deadline : null;
  }

  nextProcessingTimeDeadlineMs(): number | null {
    return null;
  }

  takeDroppedRows(): ColumnarBatch[] {
    const out = this.droppedRows;
    this.droppedRows = [];
    return out;
  }

  keepDroppedRows(): void {
    this.keep = true;
  }

  /** Makes the batch's state durable as the next version of every partition. */
  async commit(): Promise<void> {
    const ex = this.executors;
    if (ex !== null) {
      if (!this.executorsReady) return;
      const all = await Promise.all(
        this.owners(ex).map(({ executor }) => ex.request<PartitionedStateMetrics>(executor, { kind: 'commit', operatorId: this.operatorId })),
      );
      this.metrics = sumStateMetrics(all);
    } else {
      if (this.state === null) return;
      this.metrics = await this.state.commit();
    }
    this.deadline = this.pendingDeadline;
    this.lastDropped = this.dropped;
  }

  /** Drops the changes of the running batch. */
  abort(): void {
    this.droppedRows = [];
    const ex = this.executors;
    if (ex !== null && this.executorsReady) {
      // Requests run in order per executor, so the next batch sees the stores aborted.
      for (const { executor } of this.owners(ex)) ex.request(executor, { kind: 'abort', operatorId: this.operatorId }).catch(() => undefined);
    }
    this.state?.abort();
    this.pendingDeadline = this.deadline;
  }

  /** State counters of the last committed batch. */
  progress(): StateOperatorProgress {
    const n = this.env.numPartitions;
    return {
      operatorName: this.name,
      ...this.metrics,
      numRowsDroppedByWatermark: this.lastDropped,
      numShufflePartitions: n,
      numStateStoreInstances: n,
    };
  }

  /** Waits for background snapshots and releases memory (executor stores are closed with the executors). */
  async close(): Promise<void> {
    await this.state?.close();
  }
}
