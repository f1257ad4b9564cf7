import type { ColumnarBatch, ColumnVector } from '../../../common/column-vector.js';
import { concatBatches, emptyBatch, gatherBatch, makeBatch } from '../../../common/columnar-batch.js';
import { types } from '../../../common/data-type.js';
import type { Schema } from '../../../common/schema.js';
import { field, resolveFieldIndex, schemaOf } from '../../../common/schema.js';
import { maskToIndices } from '../../../common/vector-gather.js';
import type { Deduplicate, EventTimeWatermark, LogicalPlan } from '../../../dataframe/plan/logical-plan.js';
import { planChildren } from '../../../dataframe/plan/logical-plan.js';
import { DeduplicateExec } from '../../physical/deduplicate-exec.js';
import { LocalScanExec } from '../../physical/local-scan-exec.js';
import type { StateStore } from '../../state/state-store.js';
import { eventTimeColumns } from './event-time-columns.js';
import { atOrBeforeWatermark, minDeadlineMs, minOf, unitsPerMs } from './event-time-key.js';
import { PartitionedState } from './partitioned-state.js';
import { StatefulOperatorBase } from './stateful-operator-base.js';
import type { StatefulBatchContext, StatefulOperatorEnv, StreamingStatefulOperator } from './stateful-operator.js';

function findWatermark(plan: LogicalPlan, column: string): EventTimeWatermark | undefined {
  if (plan.kind === 'eventTimeWatermark' && plan.eventTime === column) return plan;
  for (const c of planChildren(plan)) {
    const w = findWatermark(c, column);
    if (w !== undefined) return w;
  }
  return undefined;
}

/**
 * Streaming deduplication, Spark's StreamingDeduplicateExec and
 * StreamingDeduplicateWithinWatermarkExec.
 *
 * State: one entry per distinct key seen (the key columns; the value is the key's expiry
 * time for the within-watermark variant, a placeholder otherwise). Per batch: rows whose
 * event time is at or before the late-events watermark are dropped (when the input has a
 * watermarked event-time column that is part of the key, or always for the within-watermark
 * variant); of the rest, the first row of each key not yet in state is emitted and its key
 * stored. Eviction with this batch's watermark: for `dropDuplicates` keys whose event-time
 * column is at or before it (keys without an event-time column are kept forever), for
 * `dropDuplicatesWithinWatermark` keys whose first event time + delay is at or before it.
 */
export class StreamingDeduplicate extends StatefulOperatorBase implements StreamingStatefulOperator {
  readonly name: string;
  private readonly state: PartitionedState;
  private readonly keyIdx: number[];
  /** Index of the event-time column in the input, or -1. */
  private readonly timeIdx: number;
  /** Index of the event-time column among the key columns (plain variant), or -1. */
  private readonly timeKey: number;
  private readonly delayMs: number;
  private readonly valueSchema: Schema;

  constructor(
    readonly node: Deduplicate,
    env: StatefulOperatorEnv,
  ) {
    super(env);
    this.name = node.withinWatermark ? 'dedupeWithinWatermark' : 'dedupe';
    const schema = node.child.schema;
    this.keyIdx = node.keys.map((k) => resolveFieldIndex(schema, k, null));
    const timeCols = eventTimeColumns(node.child);
    const timeName = node.withinWatermark
      ? [...timeCols].find((c) => findWatermark(node.child, c) !== undefined && schema.fields.some((f) => f.name === c && f.type.kind === 'timestamp'))
      : node.keys.find((k) => timeCols.has(k) && schema.fields.some((f) => f.name === k && f.type.kind === 'timestamp'));
    this.timeIdx = timeName === undefined ? -1 : resolveFieldIndex(schema, timeName, null);
    this.timeKey = !node.withinWatermark && timeName !== undefined ? node.keys.indexOf(timeName) : -1;
    this.delayMs = timeName === undefined ? 0 : (findWatermark(node.child, timeName)?.delayMs ?? 0);
    const keySchema = schemaOf(this.keyIdx.map((i) => schema.fields[i] as (typeof schema.fields)[number]));
    const timeType = this.timeIdx >= 0 ? (schema.fields[this.timeIdx]?.type ?? types.timestamp()) : types.timestamp();
    this.valueSchema = node.withinWatermark ? schemaOf([field('expiresAt', timeType, true)]) : schemaOf([field('seen', types.boolean, false)]);
    this.state = new PartitionedState(env, keySchema, this.valueSchema);
  }

  async verify(_inputs: readonly LogicalPlan[], version: number): Promise<void> {
    await this.state.verify(version);
    if (this.timeIdx >= 0) {
      const stores = await this.state.openAll(version);
      let d: number | null = null;
      for (const s of stores) for (const chunk of s.iterate()) d = minOf(d, minDeadlineMs(this.expiryColumn(chunk.keys, chunk.values)));
      this.deadline = d;
      this.state.abort();
    }
  }

  /** The column whose value expires an entry: the key's event time, or the stored expiry. */
  private expiryColumn(keys: ColumnarBatch, values: ColumnarBatch): ColumnVector {
    return (this.node.withinWatermark ? values.columns[0] : keys.columns[this.timeKey]) as ColumnVector;
  }

  async process(inputs: readonly LogicalPlan[], ctx: StatefulBatchContext): Promise<ColumnarBatch> {
    const plan = inputs[0] as LogicalPlan;
    const local = plan.kind === 'local' ? plan : await this.env.planner.executor.materialize(plan);
    if (local.kind !== 'local') throw new Error(`internal: materialize returned a ${local.kind} plan`);
    const schema = this.node.schema;
    let rows = local.batches.length === 0 ? emptyBatch(schema) : concatBatches(local.schema, local.batches);
    rows = makeBatch(schema, rows.columns, rows.numRows);
    this.dropped = 0;
    if (this.timeIdx >= 0 && rows.numRows > 0) {
      const late = atOrBeforeWatermark(rows.columns[this.timeIdx] as ColumnVector, ctx.lateWatermarkMs);
      const keepMask = new Uint8Array(rows.numRows);
      let kept = 0;
      for (let i = 0; i < rows.numRows; i++) {
        if (late[i] === 0) {
          keepMask[i] = 1;
          kept++;
        }
      }
      this.dropped = rows.numRows - kept;
      if (this.dropped > 0) {
        if (this.keep) this.droppedRows.push(gatherBatch(rows, maskToIndices(late, null, rows.numRows)));
        rows = gatherBatch(rows, maskToIndices(keepMask, null, rows.numRows));
      }
    }
    // First row per key within the batch, in input order.
    const firsts: ColumnarBatch[] = [];
    for await (const b of new DeduplicateExec(new LocalScanExec(schema, [rows]), this.node.keys).execute({ batchSize: Math.max(1, rows.numRows) })) {
      firsts.push(b);
    }
    const distinct = concatBatches(schema, firsts);
    const stores = await this.state.openAll(ctx.batchId);
    const keyCols = this.keyIdx.map((i) => distinct.columns[i] as ColumnVector);
    const byPartition = this.state.split(keyCols, distinct.numRows);
    const out: ColumnarBatch[] = [];
    let deadline = this.deadline;
    for (let p = 0; p < stores.length; p++) {
      const idx = byPartition[p] as Int32Array;
      if (idx.length === 0) continue;
      const part = gatherBatch(distinct, idx);
      const keys = makeBatch(
        this.state.keySchema,
        this.keyIdx.map((i) => part.columns[i] as ColumnVector),
        part.numRows,
      );
      const store = stores[p] as StateStore;
      const found = store.getBatch(keys).found;
      const fresh = new Uint8Array(found.length);
      for (let i = 0; i < found.length; i++) fresh[i] = 1 - (found[i] as number);
      const newIdx = maskToIndices(fresh, null, found.length);
      if (newIdx.length === 0) continue;
      const newRows = gatherBatch(part, newIdx);
      const newKeys = gatherBatch(keys, newIdx);
      const values = this.valuesFor(newRows);
      store.putBatch(newKeys, values);
      if (this.timeIdx >= 0) deadline = minOf(deadline, minDeadlineMs(this.expiryColumn(newKeys, values)));
      out.push(newRows);
    }
    if (this.timeIdx >= 0 && deadline !== null && ctx.evictionWatermarkMs >= deadline) deadline = this.evict(stores, ctx.evictionWatermarkMs);
    this.pendingDeadline = deadline;
    return concatBatches(schema, out);
  }

  private valuesFor(rows: ColumnarBatch): ColumnarBatch {
    const n = rows.numRows;
    if (!this.node.withinWatermark)
      return makeBatch(this.valueSchema, [{ type: types.boolean, length: n, validity: null, values: new Uint8Array(n).fill(1) }], n);
    const t = rows.columns[this.timeIdx] as ColumnVector;
    const src = t.values as BigInt64Array;
    const delay = BigInt(this.delayMs) * unitsPerMs(t);
    const expiry = new BigInt64Array(n);
    for (let i = 0; i < n; i++) expiry[i] = (src[i] as bigint) + delay;
    return makeBatch(this.valueSchema, [{ type: t.type, length: n, validity: t.validity, values: expiry }], n);
  }

  /** Removes entries at or before the watermark; returns the new deadline. */
  private evict(stores: readonly StateStore[], watermarkMs: number): number | null {
    let deadline: number | null = null;
    for (const store of stores) {
      const gone: ColumnarBatch[] = [];
      for (const chunk of store.iterate()) {
        const t = this.expiryColumn(chunk.keys, chunk.values);
        const mask = atOrBeforeWatermark(t, watermarkMs);
        const keep = new Uint8Array(mask.length);
        for (let i = 0; i < mask.length; i++) keep[i] = 1 - (mask[i] as number);
        const remaining = maskToIndices(keep, null, mask.length);
        if (remaining.length > 0) {
          const rest = gatherBatch(makeBatch(schemaOf([field('t', t.type, true)]), [t], t.length), remaining);
          deadline = minOf(deadline, minDeadlineMs(rest.columns[0] as ColumnVector));
        }
        const out = maskToIndices(mask, null, mask.length);
        if (out.length > 0) gone.push(gatherBatch(chunk.keys, out));
      }
      for (const g of gone) store.removeBatch(g);
    }
    return deadline;
  }

  override nextEventTimeDeadlineMs(): number | null {
    return this.timeIdx >= 0 ? this.deadline : null;
  }

  protected stores(): readonly PartitionedState[] {
    return [this.state];
  }
}
