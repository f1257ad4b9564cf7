import type { ColumnarBatch, ColumnVector } from '../../../common/column-vector.js';
import { concatBatches, gatherBatch, makeBatch } from '../../../common/columnar-batch.js';
import { types } from '../../../common/data-type.js';
import type { Schema } from '../../../common/schema.js';
import { field, schemaOf } from '../../../common/schema.js';
import { maskToIndices } from '../../../common/vector-gather.js';
import { DeduplicateExec } from '../../physical/deduplicate-exec.js';
import { LocalScanExec } from '../../physical/local-scan-exec.js';
import type { StateStore } from '../../state/state-store.js';
import { atOrBeforeWatermark, minDeadlineMs, minOf, unitsPerMs } from './event-time-key.js';

/**
 * What streaming deduplication needs to run over its state partitions, as plain data
 * (structured-cloneable), so the driver and the state executor threads run the same code.
 */
export interface DedupStateSpec {
  readonly op: 'dedup';
  /** The rows' schema (input = output). */
  readonly schema: Schema;
  /** Names and indices of the key columns. */
  readonly keys: readonly string[];
  readonly keyIdx: readonly number[];
  readonly keySchema: Schema;
  readonly valueSchema: Schema;
  /** Index of the event-time column in the rows, or -1. */
  readonly timeIdx: number;
  /** Index of the event-time column among the key columns (plain variant), or -1. */
  readonly timeKey: number;
  readonly withinWatermark: boolean;
  readonly delayMs: number;
}

/** The value schema of a deduplication's state: the expiry time (within-watermark), or a placeholder. */
export function dedupValueSchema(withinWatermark: boolean, timeType: import('../../../common/data-type.js').DataType): Schema {
  return withinWatermark ? schemaOf([field('expiresAt', timeType, true)]) : schemaOf([field('seen', types.boolean, false)]);
}

/** The column whose value expires an entry: the key's event time, or the stored expiry. */
function expiryColumn(spec: DedupStateSpec, keys: ColumnarBatch, values: ColumnarBatch): ColumnVector {
  return (spec.withinWatermark ? values.columns[0] : keys.columns[spec.timeKey]) as ColumnVector;
}

/** The smallest expiry among the entries of `stores` (null: none, or no event time). */
export function dedupDeadline(spec: DedupStateSpec, stores: readonly StateStore[]): number | null {
  if (spec.timeIdx < 0) return null;
  let d: number | null = null;
  for (const s of stores) for (const chunk of s.iterate()) d = minOf(d, minDeadlineMs(expiryColumn(spec, chunk.keys, chunk.values)));
  return d;
}

function valuesFor(spec: DedupStateSpec, rows: ColumnarBatch): ColumnarBatch {
  const n = rows.numRows;
  if (!spec.withinWatermark) return makeBatch(spec.valueSchema, [{ type: types.boolean, length: n, validity: null, values: new Uint8Array(n).fill(1) }], n);
  const t = rows.columns[spec.timeIdx] as ColumnVector;
  const src = t.values as BigInt64Array;
  const delay = BigInt(spec.delayMs) * unitsPerMs(t);
  const expiry = new BigInt64Array(n);
  for (let i = 0; i < n; i++) expiry[i] = (src[i] as bigint) + delay;
  return makeBatch(spec.valueSchema, [{ type: t.type, length: n, validity: t.validity, values: expiry }], n);
}

/**
 * One batch of deduplication over `stores`: of `rows[i]` (the batch's on-time rows of store
 * i, in input order), the first row of each key not yet in store i is kept and its key
 * stored; then entries expiring at or before `evictWatermarkMs` are removed. Returns the
 * kept rows per store and the new smallest expiry.
 */
export async function dedupBatch(
  spec: DedupStateSpec,
  stores: readonly StateStore[],
  rows: readonly (ColumnarBatch | undefined)[],
  evictWatermarkMs: number | null,
  deadline: number | null,
): Promise<{ outputs: ColumnarBatch[]; deadline: number | null }> {
  const outputs: ColumnarBatch[] = [];
  let d = deadline;
  for (let p = 0; p < stores.length; p++) {
    const part = rows[p];
    if (part === undefined || part.numRows === 0) continue;
    // First row per key within the batch, in input order.
    const firsts: ColumnarBatch[] = [];
    const scan = new LocalScanExec(spec.schema, [makeBatch(spec.schema, part.columns, part.numRows)]);
    for await (const b of new DeduplicateExec(scan, spec.keys).execute({ batchSize: Math.max(1, part.numRows) })) firsts.push(b);
    const distinct = concatBatches(spec.schema, firsts);
    const keys = makeBatch(
      spec.keySchema,
      spec.keyIdx.map((i) => distinct.columns[i] as ColumnVector),
      distinct.numRows,
    );
    const store = stores[p] as StateStore;
    const found = store.getBatch(keys).found;
    const fresh = new Uint8Array(found.length);
    for (let i = 0; i < found.length; i++) fresh[i] = 1 - (found[i] as number);
    const newIdx = maskToIndices(fresh, null, found.length);
    if (newIdx.length === 0) continue;
    const newRows = gatherBatch(distinct, newIdx);
    const newKeys = gatherBatch(keys, newIdx);
    const values = valuesFor(spec, newRows);
    store.putBatch(newKeys, values);
    if (spec.timeIdx >= 0) d = minOf(d, minDeadlineMs(expiryColumn(spec, newKeys, values)));
    outputs[p] = newRows;
  }
  if (spec.timeIdx >= 0 && evictWatermarkMs !== null && d !== null && evictWatermarkMs >= d) d = evictDedup(spec, stores, evictWatermarkMs);
  return { outputs, deadline: d };
}

/** Removes entries expiring at or before the watermark; returns the new smallest expiry. */
function evictDedup(spec: DedupStateSpec, stores: readonly StateStore[], watermarkMs: number): number | null {
  let deadline: number | null = null;
  for (const store of stores) {
    const gone: ColumnarBatch[] = [];
    for (const chunk of store.iterate()) {
      const t = expiryColumn(spec, chunk.keys, chunk.values);
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
