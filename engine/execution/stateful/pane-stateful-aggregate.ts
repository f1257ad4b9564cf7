import type { ColumnarBatch, ColumnVector } from '../../../common/column-vector.js';
import { gatherBatch, makeBatch } from '../../../common/columnar-batch.js';
import type { Schema } from '../../../common/schema.js';
import { field, resolveFieldIndex, schemaOf } from '../../../common/schema.js';
import { gatherVector, maskToIndices } from '../../../common/vector-gather.js';
import type { Expr } from '../../../dataframe/expr/expr.js';
import type { Aggregate, LogicalPlan } from '../../../dataframe/plan/logical-plan.js';
import { HashAggregateExec } from '../../physical/hash-aggregate-exec.js';
import { LocalScanExec } from '../../physical/local-scan-exec.js';
import { ProjectExec } from '../../physical/project-exec.js';
import type { AggregateParts, PanePlan } from '../../planner/aggregate-parts.js';
import { aggregateParts } from '../../planner/aggregate-parts.js';
import type { StateStore } from '../../state/state-store.js';
import { planPanePartialAggregate } from '../partial-aggregate-stage.js';
import { minOf } from './event-time-key.js';
import { lateWindowRows, windowCallOf } from './late-window-rows.js';
import { PartitionedState } from './partitioned-state.js';
import { StatefulOperatorBase } from './stateful-operator-base.js';
import type { StatefulBatchContext, StatefulOperatorEnv, StreamingStatefulOperator } from './stateful-operator.js';
import { withRowCounter } from './row-counter.js';
import { collectAll as collect } from './state-executor-ops.js';

/** Floor modulo for bigints. */
function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

/** Window geometry of a pane plan, in microseconds. */
class PaneWindows {
  constructor(private readonly p: PanePlan) {}

  /** Start of the latest window containing the pane that starts at `pane` (µs). */
  lastStart(pane: bigint): bigint {
    return pane - mod(pane - this.p.startUs, this.p.slideUs);
  }

  /** End of the latest window containing the pane. */
  maxEnd(pane: bigint): bigint {
    return this.lastStart(pane) + this.p.durationUs;
  }

  /** End of the earliest window containing the pane. */
  minEnd(pane: bigint): bigint {
    let s = this.lastStart(pane);
    while (s - this.p.slideUs + this.p.durationUs >= pane + this.p.paneUs) s -= this.p.slideUs;
    return s + this.p.durationUs;
  }

  /** Starts of the windows containing the pane whose end is in (lo, hi], calling `f` for each. */
  forEachWindow(pane: bigint, lo: bigint, hi: bigint, f: (start: bigint) => void): void {
    const d = this.p.durationUs;
    for (let s = this.lastStart(pane); s + d >= pane + this.p.paneUs; s -= this.p.slideUs) {
      const e = s + d;
      if (e > lo && e <= hi) f(s);
    }
  }

  /** Number of windows containing the pane whose end is at or before `wm`. */
  closedWindows(pane: bigint, wm: bigint): number {
    let n = 0;
    const d = this.p.durationUs;
    for (let s = this.lastStart(pane); s + d >= pane + this.p.paneUs; s -= this.p.slideUs) if (s + d <= wm) n++;
    return n;
  }
}

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
  private state: PartitionedState | null = null;
  private paneSchema: Schema | null = null;

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
    const t = this.panes.timeType;
    this.unitUs = t.kind === 'timestamp' && t.unit === 'us' ? 1n : 1000n;
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

  private ensureState(paneSchema: Schema): PartitionedState {
    if (this.state !== null) return this.state;
    this.paneSchema = paneSchema;
    const k = this.keyCount;
    this.state = new PartitionedState(this.env, schemaOf(paneSchema.fields.slice(0, k)), schemaOf(paneSchema.fields.slice(k)));
    return this.state;
  }

  async verify(inputs: readonly LogicalPlan[], version: number): Promise<void> {
    const state = this.ensureState(planPanePartialAggregate(this.parts, inputs[0] as LogicalPlan, this.env.planner).schema);
    await state.verify(version);
    const stores = await state.openAll(version);
    let d: number | null = null;
    for (const s of stores) for (const c of s.iterate()) d = minOf(d, this.minDeadline(c.keys.columns[this.panes.position] as ColumnVector));
    this.deadline = d;
    state.abort();
  }

  private paneUs(v: ColumnVector, i: number): bigint {
    return ((v.values as BigInt64Array)[i] as bigint) * this.unitUs;
  }

  /** Smallest watermark (ms) at which some pane of `v` has a window to emit. */
  private minDeadline(v: ColumnVector): number | null {
    let d: bigint | null = null;
    for (let i = 0; i < v.length; i++) {
      const e = this.geometry.minEnd(this.paneUs(v, i));
      if (d === null || e < d) d = e;
    }
    return d === null ? null : Number((d + 999n) / 1000n);
  }

  private partialMerge(schema: Schema, batches: readonly ColumnarBatch[], refs: readonly Expr[], names: readonly string[]): HashAggregateExec {
    return new HashAggregateExec(new LocalScanExec(schema, batches), refs, names, this.parts.aggCalls, this.parts.aggNames, 'partialMerge');
  }

  async process(inputs: readonly LogicalPlan[], ctx: StatefulBatchContext): Promise<ColumnarBatch> {
    const batchSize = this.env.planner.conf.getPositiveInt('sluice.sql.batchSize');
    const perTask = await collect(planPanePartialAggregate(this.parts, inputs[0] as LogicalPlan, this.env.planner), batchSize);
    const partial = await collect(this.partialMerge(perTask.schema, [perTask], this.paneRefs, this.panes.paneGroupNames), batchSize);
    const state = this.ensureState(partial.schema);
    const schema = this.paneSchema as Schema;
    let rows = makeBatch(schema, partial.columns, partial.numRows);
    const lateUs = BigInt(ctx.lateWatermarkMs) * 1000n;
    const evictUs = BigInt(ctx.evictionWatermarkMs) * 1000n;
    rows = this.dropClosedPanes(rows, lateUs);
    const windowCall = windowCallOf(this.node.groupBy);
    if (this.keep && this.dropped > 0 && windowCall !== undefined) {
      this.droppedRows = await lateWindowRows(inputs[0] as LogicalPlan, windowCall, ctx.lateWatermarkMs, this.env.planner.executor);
    }
    const stores = await state.openAll(ctx.batchId);
    const byPartition = state.split(rows.columns.slice(0, this.keyCount), rows.numRows);
    let deadline = this.deadline;
    for (let p = 0; p < stores.length; p++) {
      const idx = byPartition[p] as Int32Array;
      if (idx.length === 0) continue;
      const merged = await this.mergeIntoStore(stores[p] as StateStore, gatherBatch(rows, idx), batchSize);
      deadline = minOf(deadline, this.minDeadline(merged.columns[this.panes.position] as ColumnVector));
    }
    let out: ColumnarBatch[] = [];
    if (deadline !== null && ctx.evictionWatermarkMs >= deadline && evictUs > lateUs) {
      ({ out, deadline } = this.emitAndEvict(stores, lateUs, evictUs));
    }
    this.pendingDeadline = deadline;
    const windowSchema = this.windowSchema(schema);
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

  private async mergeIntoStore(store: StateStore, fresh: ColumnarBatch, batchSize: number): Promise<ColumnarBatch> {
    const schema = fresh.schema;
    const k = this.keyCount;
    const keySchema = schemaOf(schema.fields.slice(0, k));
    const keys = makeBatch(keySchema, fresh.columns.slice(0, k), fresh.numRows);
    const lookup = store.getBatch(keys);
    const found = maskToIndices(lookup.found, null, fresh.numRows);
    const stored = gatherBatch(makeBatch(schema, [...keys.columns, ...lookup.values.columns], fresh.numRows), found);
    const merged = await collect(this.partialMerge(schema, [stored, fresh], this.paneRefs, this.panes.paneGroupNames), batchSize);
    const m = makeBatch(schema, merged.columns, merged.numRows);
    store.putBatch(makeBatch(keySchema, m.columns.slice(0, k), m.numRows), makeBatch(schemaOf(schema.fields.slice(k)), m.columns.slice(k), m.numRows));
    return m;
  }

  /** Schema of window rows: the pane column replaced by the window's start and end columns. */
  private windowSchema(paneSchema: Schema): Schema {
    const at = this.panes.position;
    const t = this.panes.timeType;
    const fields = [...paneSchema.fields];
    fields.splice(at, 1, field(this.parts.groupNames[at] as string, t, true), field(this.parts.groupNames[at + 1] as string, t, true));
    return schemaOf(fields);
  }

  /**
   * Forms every window with end in (lo, hi] from the stored panes (one row per (pane, window),
   * merged by the final aggregate) and evicts panes whose last window ended at or before hi.
   */
  private emitAndEvict(stores: readonly StateStore[], lo: bigint, hi: bigint): { out: ColumnarBatch[]; deadline: number | null } {
    const paneSchema = this.paneSchema as Schema;
    const windowSchema = this.windowSchema(paneSchema);
    const at = this.panes.position;
    const d = this.panes.durationUs;
    const out: ColumnarBatch[] = [];
    let deadline: number | null = null;
    for (const store of stores) {
      const gone: ColumnarBatch[] = [];
      for (const chunk of store.iterate()) {
        const pane = chunk.keys.columns[at] as ColumnVector;
        const n = chunk.keys.numRows;
        const rep: number[] = [];
        const starts: bigint[] = [];
        const evict = new Uint8Array(n);
        const keep = new Uint8Array(n);
        for (let i = 0; i < n; i++) {
          const p = this.paneUs(pane, i);
          this.geometry.forEachWindow(p, lo, hi, (s) => {
            rep.push(i);
            starts.push(s);
          });
          if (this.geometry.maxEnd(p) <= hi) evict[i] = 1;
          else keep[i] = 1;
        }
        const rest = maskToIndices(keep, null, n);
        if (rest.length > 0) deadline = minOf(deadline, this.minDeadline(gatherVector(pane, rest)));
        if (rep.length > 0) {
          const idx = Int32Array.from(rep);
          const both = makeBatch(paneSchema, [...chunk.keys.columns, ...chunk.values.columns], n);
          const g = gatherBatch(both, idx);
          const startVals = new BigInt64Array(starts.length);
          const endVals = new BigInt64Array(starts.length);
          for (let j = 0; j < starts.length; j++) {
            startVals[j] = (starts[j] as bigint) / this.unitUs;
            endVals[j] = ((starts[j] as bigint) + d) / this.unitUs;
          }
          const t = this.panes.timeType;
          const columns = [...g.columns];
          columns.splice(
            at,
            1,
            { type: t, length: starts.length, validity: null, values: startVals },
            { type: t, length: starts.length, validity: null, values: endVals },
          );
          out.push(makeBatch(windowSchema, columns, starts.length));
        }
        const ev = maskToIndices(evict, null, n);
        if (ev.length > 0) gone.push(gatherBatch(chunk.keys, ev));
      }
      for (const g of gone) store.removeBatch(g);
    }
    return { out, deadline };
  }

  protected stores(): readonly PartitionedState[] {
    return this.state === null ? [] : [this.state];
  }
}
