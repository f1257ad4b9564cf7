import type { ColumnarBatch, ColumnVector } from '../../../common/column-vector.js';
import { concatBatches, emptyBatch, gatherBatch, makeBatch } from '../../../common/columnar-batch.js';
import type { Schema } from '../../../common/schema.js';
import { schemaOf } from '../../../common/schema.js';
import { maskToIndices } from '../../../common/vector-gather.js';
import type { AggCall, Expr } from '../../../dataframe/expr/expr.js';
import { GroupTable } from '../../hash/group-table.js';
import { HashAggregateExec } from '../../physical/hash-aggregate-exec.js';
import { LocalScanExec } from '../../physical/local-scan-exec.js';
import type { StateStore } from '../../state/state-store.js';
import { atOrBeforeWatermark, minDeadlineMs, minOf } from './event-time-key.js';
import { collectAll } from './state-executor-ops.js';

/**
 * What it takes to merge session partial states, as plain data (structured-cloneable), so
 * the driver and the state executor threads run the same code.
 */
export interface SessionStateSpec {
  readonly op: 'session';
  readonly groupRefs: readonly Expr[];
  readonly groupNames: readonly string[];
  readonly aggCalls: readonly AggCall[];
  readonly aggNames: readonly string[];
  /** The partial schema: key columns (other keys, session start, session end) then `_aggI#state` columns. */
  readonly schema: Schema;
  readonly startCol: number;
  readonly endCol: number;
  /** Key columns other than the session start/end (the partitioning key). */
  readonly otherCols: readonly number[];
}

/** What one batch of a session state produced over some partitions. */
export interface SessionBatchResult {
  /** Rows to finalize per store (same order as the stores): evicted sessions, or all (complete mode). */
  readonly outputs: ColumnarBatch[][];
  readonly deadline: number | null;
}

/**
 * The session state of some state partitions (all of them on the driver, the owned ones on
 * a state executor): the stores hold one row per session keyed by (other keys, start, end);
 * an in-memory index lists each key's sessions, rebuilt from the stores after a restart or
 * an aborted batch.
 */
export class SessionStateCore {
  private keyIds: GroupTable | null = null;
  private index: ([bigint, bigint][] | undefined)[] = [];
  private stale = true;

  constructor(private readonly spec: SessionStateSpec) {}

  private get keyCount(): number {
    return this.spec.groupNames.length;
  }

  /** Forgets the index (the next batch rebuilds it from the stores). */
  markStale(): void {
    this.stale = true;
  }

  private keyIdsOf(b: ColumnarBatch): Int32Array {
    const cols = this.spec.otherCols.map((c) => b.columns[c] as ColumnVector);
    if (this.keyIds === null) this.keyIds = new GroupTable(cols.map((c) => c.type));
    return this.keyIds.insert(cols, b.numRows);
  }

  /** Rebuilds the index from `stores` and returns their smallest session end (null: none). */
  rebuild(stores: readonly StateStore[]): number | null {
    this.index = [];
    this.keyIds = null;
    let d: number | null = null;
    for (const s of stores) {
      for (const chunk of s.iterate()) {
        const starts = chunk.keys.columns[this.spec.startCol]?.values as BigInt64Array;
        const ends = chunk.keys.columns[this.spec.endCol]?.values as BigInt64Array;
        const ids = this.keyIdsOf(chunk.keys);
        for (let i = 0; i < chunk.keys.numRows; i++) this.add(ids[i] as number, starts[i] as bigint, ends[i] as bigint);
        d = minOf(d, minDeadlineMs(chunk.keys.columns[this.spec.endCol] as ColumnVector));
      }
    }
    this.stale = false;
    return d;
  }

  private add(key: number, start: bigint, end: bigint): void {
    const list = this.index[key];
    if (list === undefined) this.index[key] = [[start, end]];
    else list.push([start, end]);
  }

  private remove(key: number, start: bigint, end: bigint): void {
    const list = this.index[key];
    if (list === undefined) return;
    const i = list.findIndex(([s, e]) => s === start && e === end);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.index[key] = undefined;
  }

  /**
   * One batch over `stores`: merges `fresh[i]` (the batch's partial sessions of store i, or
   * undefined) into store i, then by `emit` returns the sessions ended at or before
   * `evictWatermarkMs` (evicted) or every stored session ('all', nothing evicted).
   * `deadline` is the committed smallest session end before the batch.
   */
  async batch(
    stores: readonly StateStore[],
    fresh: readonly (ColumnarBatch | undefined)[],
    emit: 'evicted' | 'all',
    evictWatermarkMs: number | null,
    deadline: number | null,
    batchSize: number,
  ): Promise<SessionBatchResult> {
    let d = this.stale ? this.rebuild(stores) : deadline;
    for (let i = 0; i < stores.length; i++) {
      const rows = fresh[i];
      if (rows === undefined || rows.numRows === 0) continue;
      const merged = await this.merge(stores[i] as StateStore, rows, batchSize);
      d = minOf(d, minDeadlineMs(merged.columns[this.spec.endCol] as ColumnVector));
    }
    if (emit === 'all') return { outputs: stores.map((s) => this.all(s)), deadline: d };
    if (evictWatermarkMs !== null && d !== null && evictWatermarkMs >= d) return this.evict(stores, evictWatermarkMs);
    return { outputs: stores.map(() => []), deadline: d };
  }

  private all(store: StateStore): ColumnarBatch[] {
    const out: ColumnarBatch[] = [];
    for (const c of store.iterate()) out.push(makeBatch(this.spec.schema, [...c.keys.columns, ...c.values.columns], c.keys.numRows));
    return out;
  }

  /** Merges one partition's batch sessions with the stored sessions they overlap, writes them back and returns them. */
  private async merge(store: StateStore, freshIn: ColumnarBatch, batchSize: number): Promise<ColumnarBatch> {
    const { schema, startCol, endCol } = this.spec;
    const fresh = makeBatch(schema, freshIn.columns, freshIn.numRows);
    const k = this.keyCount;
    const keySchema = schemaOf(schema.fields.slice(0, k));
    const freshKeys = this.keyIdsOf(fresh);
    const storedRows: { key: number; row: number; start: bigint; end: bigint }[] = [];
    const firstRowOfKey = new Map<number, number>();
    freshKeys.forEach((key, i) => {
      if (!firstRowOfKey.has(key)) firstRowOfKey.set(key, i);
    });
    for (const [key, row] of firstRowOfKey) for (const [s, e] of this.index[key] ?? []) storedRows.push({ key, row, start: s, end: e });
    let stored = emptyBatch(schema);
    let storedKeys: ColumnarBatch | null = null;
    if (storedRows.length > 0) {
      // Key rows of the stored sessions: the fresh row's other keys with the stored start/end.
      const base = gatherBatch(fresh, Int32Array.from(storedRows.map((r) => r.row)));
      const cols = base.columns.slice(0, k).map((c, i) => {
        if (i !== startCol && i !== endCol) return c;
        const vals = BigInt64Array.from(storedRows.map((r) => (i === startCol ? r.start : r.end)));
        return { type: c.type, length: vals.length, validity: null, values: vals } as ColumnVector;
      });
      storedKeys = makeBatch(keySchema, cols, storedRows.length);
      stored = makeBatch(schema, [...storedKeys.columns, ...store.getBatch(storedKeys).values.columns], storedKeys.numRows);
    }
    // All sessions of the touched keys: sweep per key in start order, merging start <= end.
    const all = concatBatches(schema, [stored, fresh]);
    const n = all.numRows;
    const keysOf: number[] = [...storedRows.map((r) => r.key), ...freshKeys];
    const starts = all.columns[startCol]?.values as BigInt64Array;
    const ends = all.columns[endCol]?.values as BigInt64Array;
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
      let q = p + 1;
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
    const relabeled = makeBatch(
      schema,
      all.columns.map((c, i) => (i === startCol ? { ...c, validity: null, values: mStart } : i === endCol ? { ...c, validity: null, values: mEnd } : c)),
      n,
    );
    const mergedOp = new HashAggregateExec(
      new LocalScanExec(schema, [relabeled]),
      this.spec.groupRefs,
      this.spec.groupNames,
      this.spec.aggCalls,
      this.spec.aggNames,
      'partialMerge',
    );
    const merged = makeBatch(schema, (await collectAll(mergedOp, batchSize)).columns, undefined);
    // Replace the stored sessions by the merged ones.
    if (storedKeys !== null) store.removeBatch(storedKeys);
    for (const r of storedRows) this.remove(r.key, r.start, r.end);
    store.putBatch(
      makeBatch(keySchema, merged.columns.slice(0, k), merged.numRows),
      makeBatch(schemaOf(schema.fields.slice(k)), merged.columns.slice(k), merged.numRows),
    );
    const ms = merged.columns[startCol]?.values as BigInt64Array;
    const me = merged.columns[endCol]?.values as BigInt64Array;
    const mergedIds = this.keyIdsOf(merged);
    for (let i = 0; i < merged.numRows; i++) this.add(mergedIds[i] as number, ms[i] as bigint, me[i] as bigint);
    return merged;
  }

  private evict(stores: readonly StateStore[], watermarkMs: number): SessionBatchResult {
    const { schema, startCol, endCol } = this.spec;
    const k = this.keyCount;
    const outputs: ColumnarBatch[][] = [];
    let deadline: number | null = null;
    for (const store of stores) {
      const gone: ColumnarBatch[] = [];
      for (const chunk of store.iterate()) {
        const end = chunk.keys.columns[endCol] as ColumnVector;
        const mask = atOrBeforeWatermark(end, watermarkMs);
        const keep = new Uint8Array(mask.length);
        for (let i = 0; i < mask.length; i++) keep[i] = 1 - (mask[i] as number);
        const rest = maskToIndices(keep, null, mask.length);
        if (rest.length > 0) deadline = minOf(deadline, minDeadlineMs(gatherBatch(chunk.keys, rest).columns[endCol] as ColumnVector));
        const out = maskToIndices(mask, null, mask.length);
        if (out.length > 0) gone.push(gatherBatch(makeBatch(schema, [...chunk.keys.columns, ...chunk.values.columns], chunk.keys.numRows), out));
      }
      for (const g of gone) {
        store.removeBatch(makeBatch(schemaOf(schema.fields.slice(0, k)), g.columns.slice(0, k), g.numRows));
        const s = g.columns[startCol]?.values as BigInt64Array;
        const e = g.columns[endCol]?.values as BigInt64Array;
        const ids = this.keyIdsOf(g);
        for (let i = 0; i < g.numRows; i++) this.remove(ids[i] as number, s[i] as bigint, e[i] as bigint);
      }
      outputs.push(gone);
    }
    return { outputs, deadline };
  }
}
