import type { ColumnarBatch, ColumnVector } from '../../../common/column-vector.js';
import { concatBatches, emptyBatch, gatherBatch, makeBatch } from '../../../common/columnar-batch.js';
import { SluiceError } from '../../../common/errors.js';
import { types } from '../../../common/data-type.js';
import type { Schema } from '../../../common/schema.js';
import { field, schemaOf } from '../../../common/schema.js';
import { maskToIndices } from '../../../common/vector-gather.js';
import { GroupTable } from '../../hash/group-table.js';
import type { Expr } from '../../../dataframe/expr/expr.js';
import type { Aggregate, LogicalPlan } from '../../../dataframe/plan/logical-plan.js';
import { compileExpr, compileTypedExpr } from '../../eval/compile-expr.js';
import { HashAggregateExec } from '../../physical/hash-aggregate-exec.js';
import { LocalScanExec } from '../../physical/local-scan-exec.js';
import { ProjectExec } from '../../physical/project-exec.js';
import type { AggregateParts } from '../../planner/aggregate-parts.js';
import { aggregateParts } from '../../planner/aggregate-parts.js';
import type { StateStore } from '../../state/state-store.js';
import { SESSION_COLUMN, sessionKeyOf, withSessionColumnKey } from '../../window/plan-session-aggregate.js';
import type { SessionWindowSpec } from '../../window/session-window-exec.js';
import { gapIn, withSessionColumn } from '../../window/session-window-exec.js';
import { atOrBeforeWatermark, minDeadlineMs, minOf, unitsPerMs } from './event-time-key.js';
import { PartitionedState } from './partitioned-state.js';
import { StatefulOperatorBase } from './stateful-operator-base.js';
import type { StatefulBatchContext, StatefulOperatorEnv, StreamingStatefulOperator } from './stateful-operator.js';
import { withRowCounter } from './row-counter.js';
import { collectAll as collect } from './state-executor-ops.js';

/**
 * A streaming aggregation grouped by a session window (Spark's session-window state
 * store restore/save with merging of sessions), append and complete modes.
 *
 * State: per session, keyed by (other group keys, session start, session end), the partial
 * aggregation states of its rows; an in-memory index lists each key's sessions (rebuilt from
 * the stores after a restart). Per batch: rows whose own session `[t, t + gap)` ends at or
 * before the late-events watermark are dropped and counted; the rest are sessionized within
 * the batch and partially aggregated; each batch session is merged with the stored sessions
 * of its key it overlaps (start <= other's end, chaining), the merged sessions replace the
 * stored ones. Append mode emits (and evicts) the sessions whose end is at or before this
 * batch's watermark; complete mode emits all sessions and evicts none.
 */
export class StreamingSessionAggregate extends StatefulOperatorBase implements StreamingStatefulOperator {
  readonly name = 'sessionWindowStateStoreSave';
  private readonly parts: AggregateParts;
  private readonly groupRefs: readonly Expr[];
  private readonly resultExprs: readonly Expr[];
  private readonly spec: SessionWindowSpec;
  private readonly otherKeyExprs: readonly Expr[];
  private state: PartitionedState | null = null;
  private partialSchema: Schema | null = null;
  private startCol = -1;
  private endCol = -1;
  private otherCols: number[] = [];
  /** Dense ids of the other grouping keys seen (a hash table over their columns). */
  private keyIds: GroupTable | null = null;
  /** Sessions per key id: [start, end] pairs in the time unit. */
  private index: ([bigint, bigint][] | undefined)[] = [];
  private indexStale = true;

  constructor(
    readonly node: Aggregate,
    env: StatefulOperatorEnv,
  ) {
    super(env);
    const key = sessionKeyOf(node);
    if (key === undefined) throw new SluiceError('INTERNAL', 'StreamingSessionAggregate needs a session_window grouping key');
    this.spec = key.spec;
    this.otherKeyExprs = node.groupBy.filter((_, i) => i !== key.index);
    this.parts = aggregateParts(withRowCounter(withSessionColumnKey(node, key.index)));
    this.groupRefs = this.parts.groupNames.map((name) => Object.freeze({ kind: 'col', name, qualifier: null }));
    this.resultExprs = this.parts.resultExprs.slice(0, this.parts.resultExprs.length - 1);
    if (node.groupBy.length < 2) {
      throw new SluiceError(
        'UNSUPPORTED',
        "A streaming session window needs at least one other grouping key (as in Spark): groupBy(sessionWindow(col('t'), '5 minutes'), col('user')).",
      );
    }
  }

  private get keyCount(): number {
    return this.parts.groupNames.length;
  }

  /** Physical plan of the partial states of the batch's sessions, over rows already carrying their session column. */
  private partialOf(rows: ColumnarBatch): HashAggregateExec {
    return new HashAggregateExec(
      new LocalScanExec(rows.schema, [rows]),
      this.parts.groupBy,
      this.parts.groupNames,
      this.parts.aggCalls,
      this.parts.aggNames,
      'partial',
    );
  }

  private ensureState(partialSchema: Schema): PartitionedState {
    if (this.state !== null) return this.state;
    const k = this.keyCount;
    this.partialSchema = partialSchema;
    const name = this.node.schema.fields[sessionKeyOf(this.node)?.index ?? 0]?.name as string;
    const keys = partialSchema.fields.slice(0, k);
    this.startCol = keys.findIndex((f) => f.name === `${name}.start`);
    this.endCol = keys.findIndex((f) => f.name === `${name}.end`);
    this.otherCols = keys.map((_, i) => i).filter((i) => i !== this.startCol && i !== this.endCol);
    this.state = new PartitionedState(this.env, schemaOf(keys), schemaOf(partialSchema.fields.slice(k)));
    return this.state;
  }

  private partialSchemaFor(input: LogicalPlan): Schema {
    const base = this.env.planner.plan(input).schema;
    const timeType = compileTypedExpr(this.spec.time, base).type;
    const withSession = schemaOf([
      ...base.fields,
      field(
        SESSION_COLUMN,
        types.struct([
          { name: 'start', type: timeType, nullable: true },
          { name: 'end', type: timeType, nullable: true },
        ]),
        true,
      ),
    ]);
    return this.partialOf(emptyBatch(withSession)).schema;
  }

  async verify(inputs: readonly LogicalPlan[], version: number): Promise<void> {
    const state = this.ensureState(this.partialSchemaFor(inputs[0] as LogicalPlan));
    await state.verify(version);
    await this.rebuildIndex(await state.openAll(version));
    state.abort();
  }

  /** The key id of every row of `b` (a batch whose first columns are the state key columns). */
  private keyIdsOf(b: ColumnarBatch): Int32Array {
    const cols = this.otherCols.map((c) => b.columns[c] as ColumnVector);
    if (this.keyIds === null) this.keyIds = new GroupTable(cols.map((c) => c.type));
    return this.keyIds.insert(cols, b.numRows);
  }

  private async rebuildIndex(stores: readonly StateStore[]): Promise<void> {
    this.index = [];
    this.keyIds = null;
    let d: number | null = null;
    for (const s of stores) {
      for (const chunk of s.iterate()) {
        const starts = chunk.keys.columns[this.startCol]?.values as BigInt64Array;
        const ends = chunk.keys.columns[this.endCol]?.values as BigInt64Array;
        const ids = this.keyIdsOf(chunk.keys);
        for (let i = 0; i < chunk.keys.numRows; i++) this.addToIndex(ids[i] as number, starts[i] as bigint, ends[i] as bigint);
        d = minOf(d, minDeadlineMs(chunk.keys.columns[this.endCol] as ColumnVector));
      }
    }
    this.deadline = d;
    this.indexStale = false;
  }

  private addToIndex(key: number, start: bigint, end: bigint): void {
    const list = this.index[key];
    if (list === undefined) this.index[key] = [[start, end]];
    else list.push([start, end]);
  }

  private removeFromIndex(key: number, start: bigint, end: bigint): void {
    const list = this.index[key];
    if (list === undefined) return;
    const i = list.findIndex(([s, e]) => s === start && e === end);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.index[key] = undefined;
  }

  /** Spark's SessionWindowStateStoreSaveExec: a no-data batch when the input watermark moved, except in complete mode (which evicts nothing). */
  override shouldRunAnotherBatch(nextInputWatermarkMs: number, lastInputWatermarkMs: number): boolean {
    return this.env.outputMode !== 'complete' && nextInputWatermarkMs > lastInputWatermarkMs;
  }

  /** Complete mode never evicts a session, so no watermark is a deadline. */
  override nextEventTimeDeadlineMs(): number | null {
    return this.env.outputMode === 'complete' ? null : this.deadline;
  }

  async process(inputs: readonly LogicalPlan[], ctx: StatefulBatchContext): Promise<ColumnarBatch> {
    const batchSize = this.env.planner.conf.getPositiveInt('sluice.sql.batchSize');
    const input = await collect(this.env.planner.plan(inputs[0] as LogicalPlan), batchSize);
    const time = compileExpr(this.spec.time, input.schema);
    const gap = compileExpr(this.spec.gapMicros, input.schema);
    // Late rows: their own session [t, t + gap) ends at or before the late-events watermark.
    let rows = input;
    this.dropped = 0;
    if (rows.numRows > 0) {
      const t = time(rows);
      const g = gapIn(t.type.kind === 'timestamp' && t.type.unit === 'us', gap(rows));
      const tv = t.values as BigInt64Array;
      const keep = new Uint8Array(rows.numRows);
      const wm = BigInt(ctx.lateWatermarkMs) * unitsPerMs(t);
      let kept = 0;
      for (let i = 0; i < rows.numRows; i++) {
        const gi = typeof g === 'bigint' ? g : ((g.values as BigInt64Array)[i] as bigint);
        if (t.validity !== null && t.validity[i] === 0) {
          keep[i] = 1; // no session: dropped by the sessionizer, not counted as late
        } else if ((tv[i] as bigint) + gi > wm) keep[i] = 1;
        if (keep[i] === 1) kept++;
      }
      this.dropped = rows.numRows - kept;
      if (this.dropped > 0) {
        if (this.keep) {
          const late = new Uint8Array(rows.numRows);
          for (let i = 0; i < late.length; i++) late[i] = 1 - (keep[i] as number);
          this.droppedRows = [gatherBatch(rows, maskToIndices(late, null, rows.numRows))];
        }
        rows = gatherBatch(rows, maskToIndices(keep, null, rows.numRows));
      }
    }
    const sessionSchema = schemaOf([
      ...rows.schema.fields,
      field(
        SESSION_COLUMN,
        types.struct([
          { name: 'start', type: time(rows).type, nullable: true },
          { name: 'end', type: time(rows).type, nullable: true },
        ]),
        true,
      ),
    ]);
    const withSessions = withSessionColumn(
      rows,
      sessionSchema,
      this.otherKeyExprs.map((e) => compileExpr(e, rows.schema)),
      time,
      gap,
    );
    const partial = await collect(this.partialOf(withSessions), batchSize);
    const state = this.ensureState(partial.schema);
    const schema = this.partialSchema as Schema;
    const fresh = makeBatch(schema, partial.columns, partial.numRows);
    const stores = await state.openAll(ctx.batchId);
    if (this.indexStale) await this.rebuildIndex(stores);
    const byPartition = state.split(
      this.otherCols.map((c) => fresh.columns[c] as ColumnVector),
      fresh.numRows,
    );
    let deadline = this.deadline;
    for (let p = 0; p < stores.length; p++) {
      const idx = byPartition[p] as Int32Array;
      if (idx.length === 0) continue;
      const merged = await this.mergeSessions(stores[p] as StateStore, gatherBatch(fresh, idx), batchSize);
      deadline = minOf(deadline, minDeadlineMs(merged.columns[this.endCol] as ColumnVector));
    }
    let toEmit: ColumnarBatch[] = [];
    if (ctx.outputMode === 'complete') {
      for (const s of stores) for (const c of s.iterate()) toEmit.push(makeBatch(schema, [...c.keys.columns, ...c.values.columns], c.keys.numRows));
    } else if (deadline !== null && ctx.evictionWatermarkMs >= deadline) {
      ({ evicted: toEmit, deadline } = this.evict(stores, ctx.evictionWatermarkMs));
    }
    this.pendingDeadline = deadline;
    const final = new HashAggregateExec(
      new LocalScanExec(schema, toEmit),
      this.groupRefs,
      this.parts.groupNames,
      this.parts.aggCalls,
      this.parts.aggNames,
      'final',
    );
    const out = await collect(new ProjectExec(final, this.resultExprs, this.node.schema), batchSize);
    return makeBatch(this.node.schema, out.columns, out.numRows);
  }

  /**
   * Merges the batch's sessions of one partition with the stored sessions they overlap and
   * writes the result back; returns the merged sessions (key + state columns).
   */
  private async mergeSessions(store: StateStore, fresh: ColumnarBatch, batchSize: number): Promise<ColumnarBatch> {
    const schema = fresh.schema;
    const k = this.keyCount;
    const keySchema = schemaOf(schema.fields.slice(0, k));
    // Stored sessions of the keys in this batch, found through the index.
    const freshKeys = this.keyIdsOf(fresh);
    const storedRows: { key: number; row: number; start: bigint; end: bigint }[] = [];
    const storedKeyBatches: ColumnarBatch[] = [];
    const seenKey = new Set<number>();
    const firstRowOfKey = new Map<number, number>();
    freshKeys.forEach((key, i) => {
      if (!firstRowOfKey.has(key)) firstRowOfKey.set(key, i);
    });
    for (const [key, row] of firstRowOfKey) {
      if (seenKey.has(key)) continue;
      seenKey.add(key);
      for (const [s, e] of this.index[key] ?? []) storedRows.push({ key, row, start: s, end: e });
    }
    let stored = emptyBatch(schema);
    if (storedRows.length > 0) {
      // Key rows of the stored sessions: the fresh row's other keys with the stored start/end.
      const base = gatherBatch(fresh, Int32Array.from(storedRows.map((r) => r.row)));
      const cols = base.columns.slice(0, k).map((c, i) => {
        if (i !== this.startCol && i !== this.endCol) return c;
        const vals = BigInt64Array.from(storedRows.map((r) => (i === this.startCol ? r.start : r.end)));
        return { type: c.type, length: vals.length, validity: null, values: vals } as ColumnVector;
      });
      const keys = makeBatch(keySchema, cols, storedRows.length);
      storedKeyBatches.push(keys);
      const lookup = store.getBatch(keys);
      stored = makeBatch(schema, [...keys.columns, ...lookup.values.columns], keys.numRows);
    }
    // All sessions of the touched keys: sweep per key in start order, merging start <= end.
    const all = concatBatches(schema, [stored, fresh]);
    const n = all.numRows;
    const keysOf: number[] = [...storedRows.map((r) => r.key), ...freshKeys];
    const starts = all.columns[this.startCol]?.values as BigInt64Array;
    const ends = all.columns[this.endCol]?.values as BigInt64Array;
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => {
      const ka = keysOf[a] as number;
      const kb = keysOf[b] as number;
      if (ka !== kb) return ka - kb;
      const sa = starts[a] as bigint;
      const sb = starts[b] as bigint;
      return sa < sb ? -1 : sa > sb ? 1 : 0;
    });
    const mStart = new BigInt64Array(n);
    const mEnd = new BigInt64Array(n);
    let p = 0;
    while (p < n) {
      let q = p;
      const key = keysOf[order[p] as number];
      let gStart = starts[order[p] as number] as bigint;
      let gEnd = ends[order[p] as number] as bigint;
      let groupFirst = p;
      const flush = (to: number): void => {
        for (let r = groupFirst; r < to; r++) {
          mStart[order[r] as number] = gStart;
          mEnd[order[r] as number] = gEnd;
        }
      };
      q = p + 1;
      while (q < n && keysOf[order[q] as number] === key) {
        const i = order[q] as number;
        if ((starts[i] as bigint) <= gEnd) {
          if ((ends[i] as bigint) > gEnd) gEnd = ends[i] as bigint;
        } else {
          flush(q);
          groupFirst = q;
          gStart = starts[i] as bigint;
          gEnd = ends[i] as bigint;
        }
        q++;
      }
      flush(q);
      p = q;
    }
    const startVec = all.columns[this.startCol] as ColumnVector;
    const relabeled = makeBatch(
      schema,
      all.columns.map((c, i) =>
        i === this.startCol ? { ...startVec, validity: null, values: mStart } : i === this.endCol ? { ...c, validity: null, values: mEnd } : c,
      ),
      n,
    );
    const mergedOp = new HashAggregateExec(
      new LocalScanExec(schema, [relabeled]),
      this.groupRefs,
      this.parts.groupNames,
      this.parts.aggCalls,
      this.parts.aggNames,
      'partialMerge',
    );
    const merged = makeBatch(schema, (await collect(mergedOp, batchSize)).columns, undefined);
    // Replace the stored sessions by the merged ones.
    for (const keys of storedKeyBatches) store.removeBatch(keys);
    for (const r of storedRows) this.removeFromIndex(r.key, r.start, r.end);
    store.putBatch(
      makeBatch(keySchema, merged.columns.slice(0, k), merged.numRows),
      makeBatch(schemaOf(schema.fields.slice(k)), merged.columns.slice(k), merged.numRows),
    );
    const ms = merged.columns[this.startCol]?.values as BigInt64Array;
    const me = merged.columns[this.endCol]?.values as BigInt64Array;
    const mergedIds = this.keyIdsOf(merged);
    for (let i = 0; i < merged.numRows; i++) this.addToIndex(mergedIds[i] as number, ms[i] as bigint, me[i] as bigint);
    return merged;
  }

  private evict(stores: readonly StateStore[], watermarkMs: number): { evicted: ColumnarBatch[]; deadline: number | null } {
    const schema = this.partialSchema as Schema;
    const evicted: ColumnarBatch[] = [];
    let deadline: number | null = null;
    for (const store of stores) {
      const gone: ColumnarBatch[] = [];
      for (const chunk of store.iterate()) {
        const end = chunk.keys.columns[this.endCol] as ColumnVector;
        const mask = atOrBeforeWatermark(end, watermarkMs);
        const keep = new Uint8Array(mask.length);
        for (let i = 0; i < mask.length; i++) keep[i] = 1 - (mask[i] as number);
        const rest = maskToIndices(keep, null, mask.length);
        if (rest.length > 0) deadline = minOf(deadline, minDeadlineMs(gatherBatch(chunk.keys, rest).columns[this.endCol] as ColumnVector));
        const out = maskToIndices(mask, null, mask.length);
        if (out.length > 0) gone.push(gatherBatch(makeBatch(schema, [...chunk.keys.columns, ...chunk.values.columns], chunk.keys.numRows), out));
      }
      for (const g of gone) {
        store.removeBatch(makeBatch(schemaOf(schema.fields.slice(0, this.keyCount)), g.columns.slice(0, this.keyCount), g.numRows));
        const s = g.columns[this.startCol]?.values as BigInt64Array;
        const e = g.columns[this.endCol]?.values as BigInt64Array;
        const ids = this.keyIdsOf(g);
        for (let i = 0; i < g.numRows; i++) this.removeFromIndex(ids[i] as number, s[i] as bigint, e[i] as bigint);
      }
      evicted.push(...gone);
    }
    return { evicted, deadline };
  }

  override abort(): void {
    super.abort();
    // The index saw the aborted batch's changes: rebuild it from the stores next time.
    this.indexStale = true;
  }

  protected stores(): readonly PartitionedState[] {
    return this.state === null ? [] : [this.state];
  }
}
