import type { ColumnarBatch, ColumnVector } from '../../../common/column-vector.js';
import { concatBatches, gatherBatch, makeBatch } from '../../../common/columnar-batch.js';
import { types } from '../../../common/data-type.js';
import type { Schema } from '../../../common/schema.js';
import { field, resolveFieldIndex, schemaOf } from '../../../common/schema.js';
import { maskToIndices } from '../../../common/vector-gather.js';
import type { Expr } from '../../../dataframe/expr/expr.js';
import type { Aggregate, LogicalPlan } from '../../../dataframe/plan/logical-plan.js';
import type { StateOperatorProgress } from '../../../dataframe/query-progress.js';
import { HashAggregateExec } from '../../physical/hash-aggregate-exec.js';
import { LocalScanExec } from '../../physical/local-scan-exec.js';
import type { PhysicalOperator } from '../../physical/physical-operator.js';
import { ProjectExec } from '../../physical/project-exec.js';
import type { AggregateParts } from '../../planner/aggregate-parts.js';
import { aggregateParts } from '../../planner/aggregate-parts.js';
import type { StateStore } from '../../state/state-store.js';
import { planPartialAggregate } from '../partial-aggregate-stage.js';
import { eventTimeKeyIndex } from '../streaming-plan-shape.js';
import { hasWatermark } from './event-time-columns.js';
import { atOrBeforeWatermark, minDeadlineMs, minOf } from './event-time-key.js';
import type { PartitionedStateMetrics } from './partitioned-state.js';
import { NO_STATE_METRICS, PartitionedState } from './partitioned-state.js';
import type { StatefulBatchContext, StatefulOperatorEnv, StreamingStatefulOperator } from './stateful-operator.js';

async function collect(op: PhysicalOperator, batchSize: number): Promise<ColumnarBatch> {
  const parts: ColumnarBatch[] = [];
  for await (const b of op.execute({ batchSize })) parts.push(b);
  return concatBatches(op.schema, parts);
}

/** Name of the hidden per-group row counter the streaming aggregate adds (for numRowsDroppedByWatermark). */
const ROW_COUNTER = '__sluice_rows';

/** `agg` with a hidden `count(1)` appended, so partial states carry how many input rows each holds. */
function withRowCounter(agg: Aggregate): Aggregate {
  const count: Expr = Object.freeze({
    kind: 'alias',
    name: ROW_COUNTER,
    child: Object.freeze({ kind: 'agg', fn: 'count', args: Object.freeze([Object.freeze({ kind: 'lit', value: 1, type: types.int32 })]) }),
  }) as Expr;
  return Object.freeze({
    ...agg,
    aggregates: Object.freeze([...agg.aggregates, count]),
    schema: schemaOf([...agg.schema.fields, field(ROW_COUNTER, types.int64, false)]),
  });
}

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
  private state: PartitionedState | null = null;
  private partialSchema: Schema | null = null;
  /** Index among the partial key columns of the event-time value (window end or the time itself). */
  private eventColumn = -1;
  private deadline: number | null = null;
  private pendingDeadline: number | null = null;
  private dropped = 0;
  private lastDropped = 0;
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
  }

  private get keyCount(): number {
    return this.parts.groupNames.length;
  }

  private ensureState(partialSchema: Schema): PartitionedState {
    if (this.state !== null) return this.state;
    const k = this.keyCount;
    this.partialSchema = partialSchema;
    this.state = new PartitionedState(this.env, schemaOf(partialSchema.fields.slice(0, k)), schemaOf(partialSchema.fields.slice(k)));
    if (this.eventKey >= 0) {
      const name = this.node.schema.fields[this.eventKey]?.name as string;
      const keyFields = partialSchema.fields.slice(0, k);
      let at = keyFields.findIndex((f) => f.name === `${name}.end`);
      if (at < 0) at = keyFields.findIndex((f) => f.name === name && f.type.kind === 'timestamp');
      this.eventColumn = at;
    }
    return this.state;
  }

  private stateSchemaFor(input: LogicalPlan): Schema {
    return planPartialAggregate(this.parts, input, this.env.planner).schema;
  }

  async verify(inputs: readonly LogicalPlan[], version: number): Promise<void> {
    const state = this.ensureState(this.stateSchemaFor(inputs[0] as LogicalPlan));
    await state.verify(version);
    if (this.eventColumn >= 0) {
      // The deadline of the restored state: its smallest event time.
      const stores = await state.openAll(version);
      this.deadline = this.scanDeadline(stores);
      state.abort();
    }
  }

  private scanDeadline(stores: readonly StateStore[]): number | null {
    let d: number | null = null;
    for (const s of stores) for (const chunk of s.iterate()) d = minOf(d, minDeadlineMs(chunk.keys.columns[this.eventColumn] as ColumnVector));
    return d;
  }

  async process(inputs: readonly LogicalPlan[], ctx: StatefulBatchContext): Promise<ColumnarBatch> {
    const input = inputs[0] as LogicalPlan;
    const batchSize = this.env.planner.conf.getPositiveInt('sluice.sql.batchSize');
    // One partial row per task and key comes back from the workers: combine them first, so
    // each key appears once when it meets its stored state.
    const perTask = await collect(planPartialAggregate(this.parts, input, this.env.planner), batchSize);
    const partial = await collect(this.partialMerge(perTask.schema, [perTask]), batchSize);
    const state = this.ensureState(partial.schema);
    const schema = this.partialSchema as Schema;
    let rows = makeBatch(schema, partial.columns, partial.numRows);
    const useWatermark = this.watermarked && this.eventColumn >= 0 && ctx.outputMode !== 'complete';
    this.dropped = 0;
    if (useWatermark && rows.numRows > 0) rows = this.dropLate(rows, ctx.lateWatermarkMs);
    const stores = await state.openAll(ctx.batchId);
    const byPartition = state.split(rows.columns.slice(0, this.keyCount), rows.numRows);
    const changed: ColumnarBatch[] = [];
    let deadline = this.deadline;
    for (let p = 0; p < stores.length; p++) {
      const idx = byPartition[p] as Int32Array;
      if (idx.length === 0) continue;
      const merged = await this.mergeIntoStore(stores[p] as StateStore, gatherBatch(rows, idx), batchSize);
      if (this.eventColumn >= 0) deadline = minOf(deadline, minDeadlineMs(merged.columns[this.eventColumn] as ColumnVector));
      changed.push(merged);
    }
    let evicted: ColumnarBatch[] = [];
    if (useWatermark && deadline !== null && ctx.evictionWatermarkMs >= deadline) {
      ({ evicted, deadline } = this.evict(stores, ctx.evictionWatermarkMs));
    }
    this.pendingDeadline = deadline;
    let toEmit: ColumnarBatch[];
    if (ctx.outputMode === 'complete') toEmit = this.allStates(stores, schema);
    else if (ctx.outputMode === 'update') toEmit = changed;
    else toEmit = evicted;
    return this.finalize(schema, toEmit, batchSize);
  }

  /** Drops partial rows whose event time is at or before `watermarkMs`, counting their input rows. */
  private dropLate(rows: ColumnarBatch, watermarkMs: number): ColumnarBatch {
    const late = atOrBeforeWatermark(rows.columns[this.eventColumn] as ColumnVector, watermarkMs);
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

  /** Removes every group at or before the watermark; returns them (key + state columns) and the new deadline. */
  private evict(stores: readonly StateStore[], watermarkMs: number): { evicted: ColumnarBatch[]; deadline: number | null } {
    const schema = this.partialSchema as Schema;
    const evicted: ColumnarBatch[] = [];
    let deadline: number | null = null;
    for (const store of stores) {
      const gone: ColumnarBatch[] = [];
      for (const chunk of store.iterate()) {
        const t = chunk.keys.columns[this.eventColumn] as ColumnVector;
        const mask = atOrBeforeWatermark(t, watermarkMs);
        const out = maskToIndices(mask, null, chunk.keys.numRows);
        const keep = new Uint8Array(mask.length);
        for (let i = 0; i < mask.length; i++) keep[i] = 1 - (mask[i] as number);
        const remaining = maskToIndices(keep, null, chunk.keys.numRows);
        if (remaining.length > 0)
          deadline = minOf(deadline, minDeadlineMs(gatherBatch(makeBatch(chunk.keys.schema, [t], t.length), remaining).columns[0] as ColumnVector));
        if (out.length === 0) continue;
        const both = makeBatch(schema, [...chunk.keys.columns, ...chunk.values.columns], chunk.keys.numRows);
        gone.push(gatherBatch(both, out));
      }
      for (const g of gone) store.removeBatch(makeBatch(schemaOf(schema.fields.slice(0, this.keyCount)), g.columns.slice(0, this.keyCount), g.numRows));
      evicted.push(...gone);
    }
    return { evicted, deadline };
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

  /** Merges partial-state rows into one row per key, in input order (first/last keep stream order). */
  private partialMerge(schema: Schema, batches: readonly ColumnarBatch[]): HashAggregateExec {
    return new HashAggregateExec(
      new LocalScanExec(schema, batches),
      this.groupRefs,
      this.parts.groupNames,
      this.parts.aggCalls,
      this.parts.aggNames,
      'partialMerge',
    );
  }

  private async mergeIntoStore(store: StateStore, fresh: ColumnarBatch, batchSize: number): Promise<ColumnarBatch> {
    const schema = fresh.schema;
    const k = this.keyCount;
    const keys = makeBatch(schemaOf(schema.fields.slice(0, k)), fresh.columns.slice(0, k), fresh.numRows);
    const lookup = store.getBatch(keys);
    const found = maskToIndices(lookup.found, null, fresh.numRows);
    const stored = gatherBatch(makeBatch(schema, [...keys.columns, ...lookup.values.columns], fresh.numRows), found);
    const merged = await collect(this.partialMerge(schema, [stored, fresh]), batchSize);
    const mergedRows = makeBatch(schema, merged.columns, merged.numRows);
    store.putBatch(
      makeBatch(schemaOf(schema.fields.slice(0, k)), mergedRows.columns.slice(0, k), mergedRows.numRows),
      makeBatch(schemaOf(schema.fields.slice(k)), mergedRows.columns.slice(k), mergedRows.numRows),
    );
    return mergedRows;
  }

  private allStates(stores: readonly StateStore[], schema: Schema): ColumnarBatch[] {
    const out: ColumnarBatch[] = [];
    for (const store of stores) {
      for (const chunk of store.iterate()) {
        const columns: ColumnVector[] = [...chunk.keys.columns, ...chunk.values.columns];
        out.push(makeBatch(schema, columns, chunk.keys.numRows));
      }
    }
    return out;
  }

  nextEventTimeDeadlineMs(): number | null {
    return this.watermarked ? this.deadline : null;
  }

  nextProcessingTimeDeadlineMs(): number | null {
    return null;
  }

  takeDroppedRows(): ColumnarBatch[] {
    return [];
  }

  keepDroppedRows(): void {
    // Late rows of an aggregation are dropped per (row, window) after partial aggregation, so
    // there is no raw row to keep; only the count is reported.
  }

  /** Makes the batch's state durable as the next version of every partition. */
  async commit(): Promise<void> {
    if (this.state === null) return;
    this.metrics = await this.state.commit();
    this.deadline = this.pendingDeadline;
    this.lastDropped = this.dropped;
  }

  /** Drops the changes of the running batch. */
  abort(): void {
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

  /** Waits for background snapshots and releases memory. */
  async close(): Promise<void> {
    await this.state?.close();
  }
}
