import type { ColumnarBatch, ColumnVector } from '../../../common/column-vector.js';
import { concatBatches, gatherBatch, makeBatch } from '../../../common/columnar-batch.js';
import type { Schema } from '../../../common/schema.js';
import { schemaOf } from '../../../common/schema.js';
import { maskToIndices } from '../../../common/vector-gather.js';
import type { AggCall, Expr } from '../../../dataframe/expr/expr.js';
import { HashAggregateExec } from '../../physical/hash-aggregate-exec.js';
import { LocalScanExec } from '../../physical/local-scan-exec.js';
import type { PhysicalOperator } from '../../physical/physical-operator.js';
import type { StateStore } from '../../state/state-store.js';
import { atOrBeforeWatermark, minDeadlineMs, minOf } from './event-time-key.js';

/**
 * What it takes to merge partial aggregation states of a streaming aggregate, as plain data
 * (structured-cloneable), so the driver and the state executor threads run the same code.
 */
export interface AggStateSpec {
  /** The operator kind (absent: aggregation). */
  readonly op?: 'aggregate';
  /** Column references to the group columns of the partial schema. */
  readonly groupRefs: readonly Expr[];
  readonly groupNames: readonly string[];
  readonly aggCalls: readonly AggCall[];
  readonly aggNames: readonly string[];
  /** The partial schema: the key columns first, then the `_aggI#state` columns. */
  readonly schema: Schema;
  /** Index among the key columns of the event-time value (window end or the time itself), or -1. */
  readonly eventColumn: number;
}

/** Runs `op` to the end and concatenates its output. */
export async function collectAll(op: PhysicalOperator, batchSize: number): Promise<ColumnarBatch> {
  const parts: ColumnarBatch[] = [];
  for await (const b of op.execute({ batchSize })) parts.push(b);
  return concatBatches(op.schema, parts);
}

function keyCount(spec: AggStateSpec): number {
  return spec.groupNames.length;
}

/** A HashAggregate that merges partial-state rows into one row per key, in input order (first/last keep stream order). */
export function partialMergeExec(spec: AggStateSpec, schema: Schema, batches: readonly ColumnarBatch[]): HashAggregateExec {
  return new HashAggregateExec(new LocalScanExec(schema, batches), spec.groupRefs, spec.groupNames, spec.aggCalls, spec.aggNames, 'partialMerge');
}

/**
 * Merges the partial rows `fresh` (one row per key) with their stored states (stored first,
 * so first/last keep stream order), puts the results back into `store` and returns them.
 */
export async function mergeIntoStore(spec: AggStateSpec, store: StateStore, fresh: ColumnarBatch, batchSize: number): Promise<ColumnarBatch> {
  const schema = spec.schema;
  const k = keyCount(spec);
  const keySchema = schemaOf(schema.fields.slice(0, k));
  const keys = makeBatch(keySchema, fresh.columns.slice(0, k), fresh.numRows);
  const lookup = store.getBatch(keys);
  const found = maskToIndices(lookup.found, null, fresh.numRows);
  const stored = gatherBatch(makeBatch(schema, [...keys.columns, ...lookup.values.columns], fresh.numRows), found);
  const merged = await collectAll(partialMergeExec(spec, schema, [stored, makeBatch(schema, fresh.columns, fresh.numRows)]), batchSize);
  const mergedRows = makeBatch(schema, merged.columns, merged.numRows);
  store.putBatch(
    makeBatch(keySchema, mergedRows.columns.slice(0, k), mergedRows.numRows),
    makeBatch(schemaOf(schema.fields.slice(k)), mergedRows.columns.slice(k), mergedRows.numRows),
  );
  return mergedRows;
}

/** The smallest event time among the keys of `stores` (null: none, or no event column). */
export function scanDeadline(spec: AggStateSpec, stores: readonly StateStore[]): number | null {
  if (spec.eventColumn < 0) return null;
  let d: number | null = null;
  for (const s of stores) for (const chunk of s.iterate()) d = minOf(d, minDeadlineMs(chunk.keys.columns[spec.eventColumn] as ColumnVector));
  return d;
}

/** The smallest event time among the rows of `merged` (null when there is no event column). */
export function batchDeadline(spec: AggStateSpec, merged: ColumnarBatch): number | null {
  return spec.eventColumn < 0 ? null : minDeadlineMs(merged.columns[spec.eventColumn] as ColumnVector);
}

/**
 * Removes from each store every group whose event time is at or before `watermarkMs`.
 * Returns the removed rows (key + state columns) per store, and the smallest event time
 * of the groups that remain.
 */
export function evictFromStores(
  spec: AggStateSpec,
  stores: readonly StateStore[],
  watermarkMs: number,
): { evicted: ColumnarBatch[][]; deadline: number | null } {
  const schema = spec.schema;
  const k = keyCount(spec);
  const evicted: ColumnarBatch[][] = [];
  let deadline: number | null = null;
  for (const store of stores) {
    const gone: ColumnarBatch[] = [];
    for (const chunk of store.iterate()) {
      const t = chunk.keys.columns[spec.eventColumn] as ColumnVector;
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
    for (const g of gone) store.removeBatch(makeBatch(schemaOf(schema.fields.slice(0, k)), g.columns.slice(0, k), g.numRows));
    evicted.push(gone);
  }
  return { evicted, deadline };
}

/** Every stored group of `store` as key + state rows. */
export function allStatesOf(spec: AggStateSpec, store: StateStore): ColumnarBatch[] {
  const out: ColumnarBatch[] = [];
  for (const chunk of store.iterate()) {
    const columns: ColumnVector[] = [...chunk.keys.columns, ...chunk.values.columns];
    out.push(makeBatch(spec.schema, columns, chunk.keys.numRows));
  }
  return out;
}
