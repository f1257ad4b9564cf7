import type { ColumnarBatch, ColumnVector } from '../../../common/column-vector.js';
import { gatherBatch, makeBatch } from '../../../common/columnar-batch.js';
import type { Schema } from '../../../common/schema.js';
import { resolveFieldIndex, schemaOf } from '../../../common/schema.js';
import { maskToIndices } from '../../../common/vector-gather.js';
import type { Expr } from '../../../dataframe/expr/expr.js';
import type { Aggregate, LogicalPlan } from '../../../dataframe/plan/logical-plan.js';
import { HashAggregateExec } from '../../physical/hash-aggregate-exec.js';
import { LocalScanExec } from '../../physical/local-scan-exec.js';
import { ProjectExec } from '../../physical/project-exec.js';
import type { AggregateParts, PanePlan } from '../../planner/aggregate-parts.js';
import { aggregateParts } from '../../planner/aggregate-parts.js';
import { planPanePartialAggregate } from '../partial-aggregate-stage.js';
import { partitionRows } from '../partition-rows.js';
import { ExecutorStateClient, stateExecutorsFor } from './executor-state-client.js';
import type { PaneStateSpec } from './pane-state-core.js';
import { PaneStateCore, PaneWindows, paneUnitUs, paneWindowSchema } from './pane-state-core.js';
import type { StateExecutors } from './state-executors.js';
import { lateWindowRows, windowCallOf } from './late-window-rows.js';
import { PartitionedState } from './partitioned-state.js';
import { StatefulOperatorBase } from './stateful-operator-base.js';
import type { StatefulBatchContext, StatefulOperatorEnv, StreamingStatefulOperator } from './stateful-operator.js';
import { withRowCounter } from './row-counter.js';
import { collectAll as collect } from './state-executor-ops.js';

/**
 * A sliding-window aggregation over a stream in append mode, kept as panes: the state holds
 * one partial aggregation state per (keys, pane), a pane being a tumbling window of
 * gcd(window duration, slide), instead of one per (keys, window). A row therefore touches one
 * state entry, not duration/slide of them, and the state is that many times smaller.
 *
 * Per batch N: rows are partially aggregated per (keys, pane) on the worker pool. A pane all
 * of whose windows ended at or before the late-events watermark is dropped (its rows counted
 * once per window, as Spark counts (row, window) pairs); a pane some of whose windows are
 * still open is kept, and its rows reach only those windows, because windows that closed were
 * emitted already and are never emitted again. Pane states are merged into the store. Then
 * every window whose end lies in (previous batch's watermark, this batch's watermark] is
 * formed from the stored panes it contains and emitted once; panes whose last window ended
 * are evicted. The output equals the window-keyed aggregation's.
 *
 * Where the panes live (`sluice.streaming.stateStore.location`): by default in the state
 * executor thread that owns each partition; with 'driver', on this thread. Late panes are
 * dropped here; merge, window forming and eviction run where the state is
 * (pane-state-core.ts, the same code on either side).
 */
export class PaneStatefulAggregate extends StatefulOperatorBase implements StreamingStatefulOperator {
  readonly name = 'stateStoreSave';
  private readonly parts: AggregateParts;
  private readonly panes: PanePlan;
  private readonly geometry: PaneWindows;
  private readonly paneRefs: readonly Expr[];
  private readonly windowRefs: readonly Expr[];
  private readonly resultExprs: readonly Expr[];
  private readonly rowCounter: string;
  private readonly unitUs: bigint;
  /** The state executors holding the panes, or null when they live on this thread. */
  private readonly executors: StateExecutors | null;
  private spec: PaneStateSpec | null = null;
  private core: PaneStateCore | null = null;
  /** Driver mode: the stores. */
  private state: PartitionedState | null = null;
  /** Workers mode: the executors' handle. */
  private remote: ExecutorStateClient | null = null;

  constructor(
    readonly node: Aggregate,
    env: StatefulOperatorEnv,
  ) {
    super(env);
    this.parts = aggregateParts(withRowCounter(node));
    if (this.parts.panes === null) throw new Error('internal: PaneStatefulAggregate needs a window aggregate');
    this.panes = this.parts.panes;
    this.geometry = new PaneWindows(this.panes);
    this.paneRefs = this.panes.paneGroupNames.map((name) => Object.freeze({ kind: 'col', name, qualifier: null }));
    this.windowRefs = this.parts.groupNames.map((name) => Object.freeze({ kind: 'col', name, qualifier: null }));
    this.resultExprs = this.parts.resultExprs.slice(0, this.parts.resultExprs.length - 1);
    const counterCall = this.parts.aggCalls.findIndex((c) => c.fn === 'count' && c.args.length === 1 && c.args[0]?.kind === 'lit');
    this.rowCounter = `${this.parts.aggNames[counterCall]}#count`;
    this.unitUs = paneUnitUs(this.panes);
    this.executors = stateExecutorsFor(env);
  }

  /** True when a window aggregate can keep pane state: a sliding window over a watermarked stream, in append mode. */
  static applies(node: Aggregate, outputMode: string): boolean {
    if (outputMode !== 'append') return false;
    const p = aggregateParts(node).panes;
    return p !== null && p.slideUs !== p.durationUs;
  }

  private get keyCount(): number {
    return this.panes.paneGroupNames.length;
  }

  /** The pane spec and the stores (driver) or their executors (workers), made once the pane schema is known. */
  private ensureState(paneSchema: Schema): PaneStateSpec {
    if (this.spec !== null) return this.spec;
    const k = this.keyCount;
    const spec: PaneStateSpec = {
      op: 'pane',
      panes: this.panes,
      paneRefs: this.paneRefs,
      groupNames: this.parts.groupNames,
      aggCalls: this.parts.aggCalls,
      aggNames: this.parts.aggNames,
      schema: paneSchema,
    };
    this.spec = spec;
    this.core = new PaneStateCore(spec);
    const keySchema = schemaOf(paneSchema.fields.slice(0, k));
    const valueSchema = schemaOf(paneSchema.fields.slice(k));
    if (this.executors !== null) this.remote = new ExecutorStateClient(this.executors, this.env, keySchema, valueSchema, spec);
    else this.state = new PartitionedState(this.env, keySchema, valueSchema);
    return spec;
  }

  async verify(inputs: readonly LogicalPlan[], version: number): Promise<void> {
    this.ensureState(planPanePartialAggregate(this.parts, inputs[0] as LogicalPlan, this.env.planner).schema);
    if (this.remote !== null) {
      this.deadline = await this.remote.verify(version);
      return;
    }
    const state = this.state as PartitionedState;
    await state.verify(version);
    this.deadline = (this.core as PaneStateCore).scanDeadline(await state.openAll(version));
    state.abort();
  }

  private paneUs(v: ColumnVector, i: number): bigint {
    return ((v.values as BigInt64Array)[i] as bigint) * this.unitUs;
  }

  private partialMerge(schema: Schema, batches: readonly ColumnarBatch[], refs: readonly Expr[], names: readonly string[]): HashAggregateExec {
    return new HashAggregateExec(new LocalScanExec(schema, batches), refs, names, this.parts.aggCalls, this.parts.aggNames, 'partialMerge');
  }

  async process(inputs: readonly LogicalPlan[], ctx: StatefulBatchContext): Promise<ColumnarBatch> {
    const batchSize = this.env.planner.conf.getPositiveInt('sluice.sql.batchSize');
    const perTask = await collect(planPanePartialAggregate(this.parts, inputs[0] as LogicalPlan, this.env.planner), batchSize);
    // With state executors, each executor combines the per-task rows of its own partitions.
    const partial =
      this.executors === null ? await collect(this.partialMerge(perTask.schema, [perTask], this.paneRefs, this.panes.paneGroupNames), batchSize) : perTask;
    const spec = this.ensureState(partial.schema);
    const schema = spec.schema;
    let rows = makeBatch(schema, partial.columns, partial.numRows);
    rows = this.dropClosedPanes(rows, BigInt(ctx.lateWatermarkMs) * 1000n);
    const windowCall = windowCallOf(this.node.groupBy);
    if (this.keep && this.dropped > 0 && windowCall !== undefined) {
      this.droppedRows = await lateWindowRows(inputs[0] as LogicalPlan, windowCall, ctx.lateWatermarkMs, this.env.planner.executor);
    }
    const perPartition = partitionRows(rows.columns.slice(0, this.keyCount), rows.numRows, this.env.numPartitions).map((idx) =>
      idx.length === 0 ? undefined : gatherBatch(rows, idx),
    );
    let out: ColumnarBatch[];
    let deadline: number | null;
    if (this.remote !== null) {
      ({ outputs: out, deadline } = await this.remote.batch(ctx.batchId, perPartition, 'evicted', ctx.evictionWatermarkMs, batchSize, ctx.lateWatermarkMs));
    } else {
      const stores = await (this.state as PartitionedState).openAll(ctx.batchId);
      const r = await (this.core as PaneStateCore).batch(stores, perPartition, ctx.lateWatermarkMs, ctx.evictionWatermarkMs, this.deadline, batchSize);
      out = r.outputs.flat();
      deadline = r.deadline;
    }
    this.pendingDeadline = deadline;
    const windowSchema = paneWindowSchema(spec);
    const final = new HashAggregateExec(
      new LocalScanExec(windowSchema, out),
      this.windowRefs,
      this.parts.groupNames,
      this.parts.aggCalls,
      this.parts.aggNames,
      'final',
    );
    const result = await collect(new ProjectExec(final, this.resultExprs, this.node.schema), batchSize);
    return makeBatch(this.node.schema, result.columns, result.numRows);
  }

  /** Drops panes whose windows all closed at or before the late watermark; counts (row, window) pairs dropped. */
  private dropClosedPanes(rows: ColumnarBatch, lateUs: bigint): ColumnarBatch {
    this.dropped = 0;
    if (rows.numRows === 0) return rows;
    const pane = rows.columns[this.panes.position] as ColumnVector;
    const counts = rows.columns[resolveFieldIndex(rows.schema, this.rowCounter, null)]?.values as BigInt64Array;
    const keep = new Uint8Array(rows.numRows);
    let kept = 0;
    for (let i = 0; i < rows.numRows; i++) {
      const p = this.paneUs(pane, i);
      const closed = this.geometry.closedWindows(p, lateUs);
      this.dropped += closed * Number(counts[i]);
      if (this.geometry.maxEnd(p) > lateUs) {
        keep[i] = 1;
        kept++;
      }
    }
    return kept === rows.numRows ? rows : gatherBatch(rows, maskToIndices(keep, null, rows.numRows));
  }

  protected stores(): readonly PartitionedState[] {
    return this.state === null ? [] : [this.state];
  }

  protected override executorState(): ExecutorStateClient | null {
    return this.remote;
  }
}
