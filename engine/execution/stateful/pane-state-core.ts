import type { ColumnarBatch, ColumnVector } from '../../../common/column-vector.js';
import { gatherBatch, makeBatch } from '../../../common/columnar-batch.js';
import type { Schema } from '../../../common/schema.js';
import { field, schemaOf } from '../../../common/schema.js';
import { gatherVector, maskToIndices } from '../../../common/vector-gather.js';
import type { AggCall, Expr } from '../../../dataframe/expr/expr.js';
import { HashAggregateExec } from '../../physical/hash-aggregate-exec.js';
import { LocalScanExec } from '../../physical/local-scan-exec.js';
import type { PanePlan } from '../../planner/aggregate-parts.js';
import type { StateStore } from '../../state/state-store.js';
import { minOf } from './event-time-key.js';
import { collectAll } from './state-executor-ops.js';

/**
 * What a pane-kept sliding-window aggregation needs to run over its state partitions, as
 * plain data (structured-cloneable), so the driver and the state executor threads run the
 * same code.
 */
export interface PaneStateSpec {
  readonly op: 'pane';
  readonly panes: PanePlan;
  /** Column references to the pane-level group columns. */
  readonly paneRefs: readonly Expr[];
  /** The window-level group names (the pane column replaced by the window's start and end). */
  readonly groupNames: readonly string[];
  readonly aggCalls: readonly AggCall[];
  readonly aggNames: readonly string[];
  /** The pane partial schema: the pane key columns, then the `_aggI#state` columns. */
  readonly schema: Schema;
}

/** Floor modulo for bigints. */
function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

/** Window geometry of a pane plan, in microseconds. */
export class PaneWindows {
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

/** Microseconds per unit of the pane's time type. */
export function paneUnitUs(p: PanePlan): bigint {
  const t = p.timeType;
  return t.kind === 'timestamp' && t.unit === 'us' ? 1n : 1000n;
}

/** Schema of window rows: the pane column replaced by the window's start and end columns. */
export function paneWindowSchema(spec: PaneStateSpec): Schema {
  const at = spec.panes.position;
  const t = spec.panes.timeType;
  const fields = [...spec.schema.fields];
  fields.splice(at, 1, field(spec.groupNames[at] as string, t, true), field(spec.groupNames[at + 1] as string, t, true));
  return schemaOf(fields);
}

/** The pane state of some partitions (all on the driver, the owned ones on an executor). */
export class PaneStateCore {
  private readonly geometry: PaneWindows;
  private readonly unitUs: bigint;

  constructor(private readonly spec: PaneStateSpec) {
    this.geometry = new PaneWindows(spec.panes);
    this.unitUs = paneUnitUs(spec.panes);
  }

  private paneUs(v: ColumnVector, i: number): bigint {
    return ((v.values as BigInt64Array)[i] as bigint) * this.unitUs;
  }

  /** Smallest watermark (ms) at which some pane of `v` has a window to emit. */
  minDeadline(v: ColumnVector): number | null {
    let d: bigint | null = null;
    for (let i = 0; i < v.length; i++) {
      const e = this.geometry.minEnd(this.paneUs(v, i));
      if (d === null || e < d) d = e;
    }
    return d === null ? null : Number((d + 999n) / 1000n);
  }

  /** The smallest deadline over the panes of `stores`. */
  scanDeadline(stores: readonly StateStore[]): number | null {
    let d: number | null = null;
    for (const s of stores) for (const c of s.iterate()) d = minOf(d, this.minDeadline(c.keys.columns[this.spec.panes.position] as ColumnVector));
    return d;
  }

  private partialMerge(batches: readonly ColumnarBatch[]): HashAggregateExec {
    const s = this.spec;
    return new HashAggregateExec(new LocalScanExec(s.schema, batches), s.paneRefs, s.panes.paneGroupNames, s.aggCalls, s.aggNames, 'partialMerge');
  }

  /**
   * One batch over `stores`: merges `rows[i]` (pane partial rows of store i; several rows per
   * pane key are combined) into store i, then, when the state's deadline is due, forms every
   * window with end in (lateMs, evictMs] and evicts panes whose last window ended. Returns
   * the window rows per store and the new deadline.
   */
  async batch(
    stores: readonly StateStore[],
    rows: readonly (ColumnarBatch | undefined)[],
    lateMs: number,
    evictMs: number,
    deadline: number | null,
    batchSize: number,
  ): Promise<{ outputs: ColumnarBatch[][]; deadline: number | null }> {
    let d = deadline;
    for (let p = 0; p < stores.length; p++) {
      const fresh = rows[p];
      if (fresh === undefined || fresh.numRows === 0) continue;
      const merged = await this.mergeIntoStore(stores[p] as StateStore, fresh, batchSize);
      d = minOf(d, this.minDeadline(merged.columns[this.spec.panes.position] as ColumnVector));
    }
    const lo = BigInt(lateMs) * 1000n;
    const hi = BigInt(evictMs) * 1000n;
    if (d !== null && evictMs >= d && hi > lo) return this.emitAndEvict(stores, lo, hi);
    return { outputs: stores.map(() => []), deadline: d };
  }

  private async mergeIntoStore(store: StateStore, freshIn: ColumnarBatch, batchSize: number): Promise<ColumnarBatch> {
    const schema = this.spec.schema;
    const k = this.spec.panes.paneGroupNames.length;
    const combined = await collectAll(this.partialMerge([makeBatch(schema, freshIn.columns, freshIn.numRows)]), batchSize);
    const fresh = makeBatch(schema, combined.columns, combined.numRows);
    const keySchema = schemaOf(schema.fields.slice(0, k));
    const keys = makeBatch(keySchema, fresh.columns.slice(0, k), fresh.numRows);
    const lookup = store.getBatch(keys);
    const found = maskToIndices(lookup.found, null, fresh.numRows);
    const stored = gatherBatch(makeBatch(schema, [...keys.columns, ...lookup.values.columns], fresh.numRows), found);
    const merged = await collectAll(this.partialMerge([stored, fresh]), batchSize);
    const m = makeBatch(schema, merged.columns, merged.numRows);
    store.putBatch(makeBatch(keySchema, m.columns.slice(0, k), m.numRows), makeBatch(schemaOf(schema.fields.slice(k)), m.columns.slice(k), m.numRows));
    return m;
  }

  /** Forms every window with end in (lo, hi] from the stored panes (one row per (pane, window)) and evicts panes whose last window ended at or before hi. */
  private emitAndEvict(stores: readonly StateStore[], lo: bigint, hi: bigint): { outputs: ColumnarBatch[][]; deadline: number | null } {
    const paneSchema = this.spec.schema;
    const windowSchema = paneWindowSchema(this.spec);
    const at = this.spec.panes.position;
    const d = this.spec.panes.durationUs;
    const t = this.spec.panes.timeType;
    const outputs: ColumnarBatch[][] = [];
    let deadline: number | null = null;
    for (const store of stores) {
      const out: ColumnarBatch[] = [];
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
          const g = gatherBatch(makeBatch(paneSchema, [...chunk.keys.columns, ...chunk.values.columns], n), Int32Array.from(rep));
          const startVals = new BigInt64Array(starts.length);
          const endVals = new BigInt64Array(starts.length);
          for (let j = 0; j < starts.length; j++) {
            startVals[j] = (starts[j] as bigint) / this.unitUs;
            endVals[j] = ((starts[j] as bigint) + d) / this.unitUs;
          }
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
      outputs.push(out);
    }
    return { outputs, deadline };
  }
}
