import type { ColumnarBatch, ColumnVector } from '../../../common/column-vector.js';
import { concatBatches, emptyBatch, gatherBatch, makeBatch } from '../../../common/columnar-batch.js';
import { types } from '../../../common/data-type.js';
import type { Field, Schema } from '../../../common/schema.js';
import { field, resolveFieldIndex, schemaOf } from '../../../common/schema.js';
import { vectorFromValues } from '../../../common/vector-from-values.js';
import { maskToIndices } from '../../../common/vector-gather.js';
import { valueAt } from '../../../common/vector-value-at.js';
import type { Row } from '../../../dataframe/data-frame.js';
import type { EventTimeWatermark, LogicalPlan, TransformWithState } from '../../../dataframe/plan/logical-plan.js';
import { planChildren } from '../../../dataframe/plan/logical-plan.js';
import type { StateStore } from '../../state/state-store.js';
import { eventTimeColumns } from './event-time-columns.js';
import { atOrBeforeWatermark, minOf } from './event-time-key.js';
import { PartitionedState } from './partitioned-state.js';
import { StatefulOperatorBase } from './stateful-operator-base.js';
import type { StatefulBatchContext, StatefulOperatorEnv, StreamingStatefulOperator } from './stateful-operator.js';
import { KeyState, ProcessorRunner, groupByKey, rowObject, rowsToBatch, timerValues } from './transform-with-state-runtime.js';

/** Value columns of the state store: the key's state as JSON, its earliest timer and earliest TTL expiry. */
const VALUE_SCHEMA: Schema = schemaOf([
  field('state', types.utf8, false),
  field('next_timer_ms', types.int64, true),
  field('next_expiry_ms', types.int64, true),
]);
const TIMER_COL = 1;
const EXPIRY_COL = 2;

function findWatermark(plan: LogicalPlan, column: string): EventTimeWatermark | undefined {
  if (plan.kind === 'eventTimeWatermark' && plan.eventTime === column) return plan;
  for (const c of planChildren(plan)) {
    const w = findWatermark(c, column);
    if (w !== undefined) return w;
  }
  return undefined;
}

/** Smallest valid value of an int64 column at `indices` (all rows when null), as a number. */
function minInt64(v: ColumnVector, indices: Int32Array | null): number | null {
  const values = v.values as BigInt64Array;
  let min: bigint | null = null;
  const n = indices === null ? v.length : indices.length;
  for (let j = 0; j < n; j++) {
    const i = indices === null ? j : (indices[j] as number);
    if (v.validity !== null && v.validity[i] === 0) continue;
    const x = values[i] as bigint;
    if (min === null || x < min) min = x;
  }
  return min === null ? null : Number(min);
}

/** 1 where the int64 column is valid and at or below `threshold`. */
function dueMask(v: ColumnVector, threshold: number): Uint8Array {
  const values = v.values as BigInt64Array;
  const out = new Uint8Array(v.length);
  const t = BigInt(Math.floor(threshold));
  for (let i = 0; i < v.length; i++) {
    if (v.validity !== null && v.validity[i] === 0) continue;
    out[i] = (values[i] as bigint) <= t ? 1 : 0;
  }
  return out;
}

/** Keys of one partition decoded for a processor call, with whether they existed in the store. */
interface PartKeys {
  readonly keys: ColumnarBatch;
  readonly states: KeyState[];
  readonly found: Uint8Array;
}

/**
 * Spark's TransformWithStateExec: runs a user's StatefulProcessor per grouping key, with
 * the key's state in the operator's state store.
 *
 * State layout: one store row per grouping key (key columns = the grouping columns),
 * value = (state JSON, next_timer_ms, next_expiry_ms). The JSON holds every value, list
 * and map state variable of the key and its timers; the two int64 columns let timer and
 * TTL scans find due keys from typed arrays without decoding JSON. A key with no state and
 * no timers has no row.
 *
 * Per batch: (1) in event-time mode, input rows at or before the late-events watermark
 * (on the watermarked event-time column) are dropped; (2) handleInputRows runs for each
 * key of the batch, in order of first appearance; (3) due timers fire: processing-time
 * timers at or before the batch timestamp, event-time timers at or before the eviction
 * watermark, each key's ascending; (4) state entries whose TTL (processing time) expired
 * are removed. Output is the rows of (2) then (3).
 */
export class TransformWithStateOperator extends StatefulOperatorBase implements StreamingStatefulOperator {
  readonly name = 'transformWithStateExec';
  private readonly state: PartitionedState;
  private readonly keyIdx: number[];
  private readonly timeIdx: number;
  private readonly runner: ProcessorRunner;
  /** Smallest TTL expiry in committed state (the timer deadline is the base's `deadline`). */
  private expiryDeadline: number | null = null;
  private pendingExpiry: number | null = null;

  constructor(
    readonly node: TransformWithState,
    env: StatefulOperatorEnv,
  ) {
    super(env);
    const schema = node.child.schema;
    this.keyIdx = node.keys.map((k) => resolveFieldIndex(schema, k, null));
    const keySchema = schemaOf(this.keyIdx.map((i) => schema.fields[i] as Field));
    const timeCols = eventTimeColumns(node.child);
    const timeName =
      node.timeMode === 'eventTime'
        ? [...timeCols].find((c) => findWatermark(node.child, c) !== undefined && schema.fields.some((f) => f.name === c && f.type.kind === 'timestamp'))
        : undefined;
    this.timeIdx = timeName === undefined ? -1 : resolveFieldIndex(schema, timeName, null);
    this.state = new PartitionedState(env, keySchema, VALUE_SCHEMA);
    this.runner = new ProcessorRunner(node.processor, node.timeMode);
  }

  /**
   * Spark's rule: in processingTime mode the output rows say nothing about event time, so no
   * watermark passes on; otherwise the input watermark passes through.
   */
  outputWatermarkMs(inputMs: number): number | null {
    return this.node.timeMode === 'processingTime' ? null : inputMs;
  }

  async verify(_inputs: readonly LogicalPlan[], version: number): Promise<void> {
    const stores = await this.state.openAll(version);
    let timer: number | null = null;
    let expiry: number | null = null;
    for (const s of stores) {
      for (const chunk of s.iterate()) {
        timer = minOf(timer, minInt64(chunk.values.columns[TIMER_COL] as ColumnVector, null));
        expiry = minOf(expiry, minInt64(chunk.values.columns[EXPIRY_COL] as ColumnVector, null));
      }
    }
    this.state.abort();
    this.deadline = timer;
    this.expiryDeadline = expiry;
  }

  private async inputRows(plan: LogicalPlan, ctx: StatefulBatchContext): Promise<ColumnarBatch> {
    const local = plan.kind === 'local' ? plan : await this.env.planner.executor.materialize(plan);
    if (local.kind !== 'local') throw new Error(`internal: materialize returned a ${local.kind} plan`);
    const schema = this.node.child.schema;
    let rows = local.batches.length === 0 ? emptyBatch(schema) : concatBatches(local.schema, local.batches);
    rows = makeBatch(schema, rows.columns, rows.numRows);
    this.dropped = 0;
    if (this.timeIdx >= 0 && rows.numRows > 0) {
      const late = atOrBeforeWatermark(rows.columns[this.timeIdx] as ColumnVector, ctx.lateWatermarkMs);
      const keepMask = new Uint8Array(rows.numRows);
      for (let i = 0; i < rows.numRows; i++) keepMask[i] = 1 - (late[i] as number);
      const kept = maskToIndices(keepMask, null, rows.numRows);
      this.dropped = rows.numRows - kept.length;
      if (this.dropped > 0) {
        if (this.keep) this.droppedRows.push(gatherBatch(rows, maskToIndices(late, null, rows.numRows)));
        rows = gatherBatch(rows, kept);
      }
    }
    return rows;
  }

  async process(inputs: readonly LogicalPlan[], ctx: StatefulBatchContext): Promise<ColumnarBatch> {
    const rows = await this.inputRows(inputs[0] as LogicalPlan, ctx);
    const stores = await this.state.openAll(ctx.batchId);
    const nowMs = ctx.batchTimestampMs;
    const tv = timerValues(nowMs, ctx.evictionWatermarkMs);
    this.runner.handle.nowMs = nowMs;
    const out: Row[] = [];
    let timer = this.deadline;
    let expiry = this.expiryDeadline;

    // (2) New rows, key by key.
    if (rows.numRows > 0) {
      const schema = this.node.child.schema;
      const keyCols = this.keyIdx.map((i) => rows.columns[i] as ColumnVector);
      const groups = groupByKey(keyCols, rows.numRows);
      const keyBatch = makeBatch(this.state.keySchema, keyCols, rows.numRows);
      const distinct = gatherBatch(keyBatch, groups.first);
      const byPartition = this.state.split(distinct.columns, distinct.numRows);
      const states: KeyState[] = new Array(distinct.numRows);
      const parts: (PartKeys | null)[] = byPartition.map((idx, p) => {
        if (idx.length === 0) return null;
        const keys = gatherBatch(distinct, idx);
        const part = this.load(stores[p] as StateStore, keys, nowMs);
        idx.forEach((g, j) => {
          states[g] = part.states[j] as KeyState;
        });
        return part;
      });
      for (let g = 0; g < distinct.numRows; g++) {
        const key = rowObject(this.state.keySchema, distinct.columns, g);
        const groupRows = (groups.rows[g] as number[]).map((i) => rowObject(schema, rows.columns, i));
        this.runner.input(key, states[g] as KeyState, groupRows, tv, out);
      }
      parts.forEach((part, p) => {
        if (part === null) return;
        const d = this.save(stores[p] as StateStore, part);
        timer = minOf(timer, d.timer);
        expiry = minOf(expiry, d.expiry);
      });
    }

    // (3) Due timers.
    if (this.node.timeMode !== 'none' && timer !== null) {
      const threshold = this.node.timeMode === 'processingTime' ? nowMs : ctx.evictionWatermarkMs;
      if (threshold >= timer) {
        timer = null;
        for (const store of stores) {
          const { due, restMin } = this.scanDue(store, TIMER_COL, threshold);
          timer = minOf(timer, restMin);
          for (const keys of due) {
            const part = this.load(store, keys, nowMs);
            part.states.forEach((s, j) => {
              this.runner.fireTimers(rowObject(this.state.keySchema, keys.columns, j), s, threshold, tv, out);
            });
            const d = this.save(store, part);
            timer = minOf(timer, d.timer);
            expiry = minOf(expiry, d.expiry);
          }
        }
      }
    }

    // (4) TTL clean-up.
    if (expiry !== null && nowMs >= expiry) {
      expiry = null;
      for (const store of stores) {
        const { due, restMin } = this.scanDue(store, EXPIRY_COL, nowMs);
        expiry = minOf(expiry, restMin);
        for (const keys of due) expiry = minOf(expiry, this.save(store, this.load(store, keys, nowMs)).expiry);
      }
    }

    this.pendingDeadline = timer;
    this.pendingExpiry = expiry;
    return rowsToBatch(this.node.schema, out);
  }

  /** Looks `keys` up in `store` and decodes their state (expired entries dropped). */
  private load(store: StateStore, keys: ColumnarBatch, nowMs: number): PartKeys {
    const { values, found } = store.getBatch(keys);
    const json = values.columns[0] as ColumnVector;
    const states: KeyState[] = [];
    for (let j = 0; j < keys.numRows; j++) states.push(KeyState.decode(found[j] === 1 ? (valueAt(json, j) as string) : null, nowMs));
    return { keys, states, found };
  }

  /** Writes the states back (removes empty ones); returns the earliest timer and expiry written. */
  private save(store: StateStore, part: PartKeys): { timer: number | null; expiry: number | null } {
    const put: number[] = [];
    const remove: number[] = [];
    const json: string[] = [];
    const timers: (bigint | null)[] = [];
    const expiries: (bigint | null)[] = [];
    let timer: number | null = null;
    let expiry: number | null = null;
    part.states.forEach((s, j) => {
      if (s.isEmpty) {
        if (part.found[j] === 1) remove.push(j);
        return;
      }
      put.push(j);
      json.push(s.encode());
      const t = s.nextTimerMs;
      const e = s.nextExpiryMs;
      timers.push(t === null ? null : BigInt(t));
      expiries.push(e === null ? null : BigInt(e));
      timer = minOf(timer, t);
      expiry = minOf(expiry, e);
    });
    if (remove.length > 0) store.removeBatch(gatherBatch(part.keys, Int32Array.from(remove)));
    if (put.length > 0) {
      const values = makeBatch(
        VALUE_SCHEMA,
        [vectorFromValues(types.utf8, json), vectorFromValues(types.int64, timers), vectorFromValues(types.int64, expiries)],
        put.length,
      );
      store.putBatch(gatherBatch(part.keys, Int32Array.from(put)), values);
    }
    return { timer, expiry };
  }

  /** Keys whose int64 column `col` is at or below `threshold`, and the smallest value of the other keys. */
  private scanDue(store: StateStore, col: number, threshold: number): { due: ColumnarBatch[]; restMin: number | null } {
    const due: ColumnarBatch[] = [];
    let restMin: number | null = null;
    for (const chunk of store.iterate()) {
      const v = chunk.values.columns[col] as ColumnVector;
      const mask = dueMask(v, threshold);
      const rest = new Uint8Array(mask.length);
      for (let i = 0; i < mask.length; i++) rest[i] = 1 - (mask[i] as number);
      restMin = minOf(restMin, minInt64(v, maskToIndices(rest, null, mask.length)));
      const idx = maskToIndices(mask, null, mask.length);
      if (idx.length > 0) due.push(gatherBatch(chunk.keys, idx));
    }
    return { due, restMin };
  }

  /**
   * Spark's TransformWithStateExec: with time mode 'none' or 'eventTime' (append and update are
   * the only modes), a no-data batch when the input watermark moved. In 'processingTime' mode
   * Spark asks for a batch on every trigger (a known TODO there, SPARK-50180); Sluice runs one
   * when a processing-time timer is due (see `nextProcessingTimeDeadlineMs`) or, as in the
   * other modes, when the watermark moved.
   */
  override shouldRunAnotherBatch(nextInputWatermarkMs: number, lastInputWatermarkMs: number): boolean {
    return nextInputWatermarkMs > lastInputWatermarkMs;
  }

  override nextEventTimeDeadlineMs(): number | null {
    return this.node.timeMode === 'eventTime' ? this.deadline : null;
  }

  override nextProcessingTimeDeadlineMs(): number | null {
    return this.node.timeMode === 'processingTime' ? this.deadline : null;
  }

  override async commit(): Promise<void> {
    await super.commit();
    this.expiryDeadline = this.pendingExpiry;
  }

  override abort(): void {
    super.abort();
    this.pendingExpiry = this.expiryDeadline;
  }

  override async close(): Promise<void> {
    this.runner.close();
    await super.close();
  }

  protected stores(): readonly PartitionedState[] {
    return [this.state];
  }
}
